import { createConnection, createServer, type Socket } from 'node:net';

/** A loopback TCP proxy that can go silent: the network between one worker and Redis. */
export interface TcpProxy {
  readonly port: number;
  /** Stops forwarding in both directions (bytes are dropped, sockets stay open): a partition. */
  freeze(): void;
  /** Forwards again and drops the frozen connections, so clients reconnect. */
  thaw(): void;
  /**
   * Limits what each client connection may send upstream to `bytesPerSecond`
   * (a slow link or an overloaded Redis; queued bytes are kept, in order);
   * `undefined` lifts the limit. Small commands (a lease renewal on its own
   * connection) pass almost at once; a backlog of large batches waits.
   */
  throttle(bytesPerSecond: number | undefined): void;
  close(): Promise<void>;
}

/** Releases queued upstream bytes every TICK_MS at the throttle's rate. */
const TICK_MS = 20;

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  let frozen = false;
  let rate: number | undefined;
  const pairs = new Set<[Socket, Socket]>();
  const queues = new Set<{ upstream: Socket; chunks: Buffer[] }>();
  const ticker = setInterval(() => {
    for (const q of queues) {
      let budget = rate === undefined ? Number.POSITIVE_INFINITY : (rate * TICK_MS) / 1000;
      while (q.chunks.length > 0 && budget > 0) {
        const chunk = q.chunks[0]!;
        const n = Math.min(chunk.length, Math.ceil(budget));
        if (!q.upstream.destroyed) q.upstream.write(chunk.subarray(0, n));
        budget -= n;
        if (n === chunk.length) q.chunks.shift();
        else q.chunks[0] = chunk.subarray(n);
      }
    }
  }, TICK_MS);
  const server = createServer((client) => {
    const upstream = createConnection(targetPort, '127.0.0.1');
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const queue = { upstream, chunks: [] as Buffer[] };
    queues.add(queue);
    client.on('data', (chunk: Buffer) => {
      if (frozen) return;
      if (rate === undefined && queue.chunks.length === 0) upstream.write(chunk);
      else queue.chunks.push(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!frozen) client.write(chunk);
    });
    const end = () => {
      pairs.delete(pair);
      queues.delete(queue);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    freeze() {
      frozen = true;
    },
    throttle(bytesPerSecond) {
      rate = bytesPerSecond;
    },
    thaw() {
      frozen = false;
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
    },
    async close() {
      clearInterval(ticker);
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
