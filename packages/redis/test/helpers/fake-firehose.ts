import { createServer, type ServerResponse } from 'node:http';

/** One emitted post and when. */
interface Sent {
  line: string;
  at: number;
}

interface PartitionState {
  history: Sent[];
  open: Set<ServerResponse>;
  connections: number;
  maxOpen: number;
  backfillRequests: number[];
}

/**
 * A loopback stand-in for X's partitioned firehose
 * (`GET /2/tweets/firehose/stream?partition=N`), for the ingest tests: each
 * post goes to the open connections of its partition only; a connection with
 * `backfill_minutes` first gets that partition's posts of the last N minutes
 * again. It counts connections per partition, and the most ever open at once.
 */
export interface FakeFirehose {
  readonly baseUrl: string;
  /** Sends a post (`{ data: { id, text, created_at } }`) on `partition`. */
  emit(partition: number, id: string): void;
  /** Every id emitted so far. */
  readonly emitted: string[];
  state(partition: number): Readonly<PartitionState>;
  close(): Promise<void>;
}

/** Options of `startFakeFirehose`. */
export interface FakeFirehoseOptions {
  /**
   * A recorded post to send instead of the small default one: its `data.id`
   * and `data.created_at` are replaced per post (for benchmarks with
   * realistic payloads).
   */
  template?: { data: Record<string, unknown> } & Record<string, unknown>;
}

export async function startFakeFirehose(options: FakeFirehoseOptions = {}): Promise<FakeFirehose> {
  const template = options.template;
  const body = (id: string, createdAt: string) =>
    template
      ? { ...template, data: { ...template.data, id, created_at: createdAt } }
      : { data: { id, text: `post ${id}`, created_at: createdAt } };
  const partitions = new Map<number, PartitionState>();
  const emitted: string[] = [];
  const state = (p: number) => {
    let s = partitions.get(p);
    if (!s) {
      s = { history: [], open: new Set(), connections: 0, maxOpen: 0, backfillRequests: [] };
      partitions.set(p, s);
    }
    return s;
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const partition = Number(url.searchParams.get('partition'));
    if (url.pathname !== '/2/tweets/firehose/stream' || !Number.isInteger(partition)) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"title":"Not Found"}');
      return;
    }
    const s = state(partition);
    s.connections++;
    s.open.add(res);
    s.maxOpen = Math.max(s.maxOpen, s.open.size);
    res.writeHead(200, { 'content-type': 'application/json' });
    const backfill = Number(url.searchParams.get('backfill_minutes') ?? 0);
    if (backfill > 0) {
      s.backfillRequests.push(backfill);
      const since = Date.now() - backfill * 60_000;
      for (const sent of s.history) if (sent.at >= since) res.write(sent.line);
    }
    res.write('\r\n');
    res.on('close', () => s.open.delete(res));
  });
  const keepAlive = setInterval(() => {
    for (const s of partitions.values()) for (const res of s.open) res.write('\r\n');
  }, 50);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    emitted,
    emit(partition, id) {
      const line = `${JSON.stringify(body(id, new Date().toISOString()))}\r\n`;
      const s = state(partition);
      s.history.push({ line, at: Date.now() });
      emitted.push(id);
      for (const res of s.open) res.write(line);
    },
    state,
    async close() {
      clearInterval(keepAlive);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
