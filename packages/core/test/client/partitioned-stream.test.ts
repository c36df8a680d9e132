import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ConfigError,
  isApiError,
  type PartitionEventOf,
  StreamClient,
  type StreamLifecycleEventType,
} from '@birdstream/core';
import { ManualClock, streamLine } from '@birdstream/test-utils';
import { afterEach, describe, expect, test } from 'vitest';
import { post } from '../helpers/messages.js';
import { until } from '../helpers/until.js';

/**
 * A loopback X for the partitioned firehose: each request is one partition's
 * connection; it gets that partition's posts (`postsFor(partition)`) and is
 * held open like X's, until the client closes it. Records every connection
 * per partition and how many are open.
 */
async function firehoseServer(options: {
  postsFor: (partition: number) => string[];
  status?: (partition: number) => number;
}) {
  const connections: number[] = [];
  let open = 0;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const partition = Number(url.searchParams.get('partition'));
    connections.push(partition);
    const status = options.status?.(partition) ?? 200;
    if (status !== 200) {
      res.writeHead(status, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ title: 'Unauthorized', type: 'about:blank', status }));
      return;
    }
    open++;
    res.on('close', () => open--);
    res.writeHead(200, { 'content-type': 'application/json' });
    for (const id of options.postsFor(partition)) res.write(streamLine(post(id)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    connections,
    get open() {
      return open;
    },
  };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

function client(baseUrl: string) {
  return new StreamClient({ bearerToken: 't', baseUrl, clock: new ManualClock() });
}

/** Records partition-tagged events of the given types. */
function record<K extends StreamLifecycleEventType>(
  stream: { on(type: K, listener: (event: PartitionEventOf<K>) => void): () => void },
  ...types: K[]
) {
  const events: PartitionEventOf<K>[] = [];
  for (const type of types) stream.on(type, (event) => events.push(event));
  return events;
}

describe('client.partitions(): one for-await stream over many partitions', () => {
  test('all 20 firehose partitions: every post exactly once, one connection per partition, close() closes all', async () => {
    const x = await firehoseServer({
      postsFor: (p) => Array.from({ length: 5 }, (_, i) => `${p}00${i}`),
    });
    const firehose = client(x.baseUrl).partitions('firehose', { partitions: 'all' });
    const connected = record(firehose, 'connected');
    expect(firehose.partitions).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const seen: string[] = [];
    for await (const { data } of firehose) {
      seen.push(data.id);
      if (seen.length === 100) break;
    }
    const expected = Array.from({ length: 20 }, (_, p) =>
      Array.from({ length: 5 }, (_, i) => `${p + 1}00${i}`),
    ).flat();
    expect([...seen].sort()).toEqual([...expected].sort());
    expect(new Set(seen).size).toBe(100);
    // One connection per partition, never two.
    expect([...x.connections].sort((a, b) => a - b)).toEqual(firehose.partitions);
    expect(connected.map((e) => e.partition).sort((a, b) => a - b)).toEqual(firehose.partitions);
    // break closed every connection: the server sees all 20 requests closed.
    await until(() => x.open === 0, 'every connection closed');
    expect(firehose.closed).toBe(true);
    expect(firehose.stats.total.delivered).toBe(100);
    expect(firehose.stats.partitions[7]?.delivered).toBe(5);
  });

  test('a post delivered by two partitions reaches the loop once; the duplicate names its partition', async () => {
    const x = await firehoseServer({ postsFor: (p) => [`${p}`, '77'] });
    const stream = client(x.baseUrl).partitions('firehose', {
      partitions: [1, 2],
      params: { 'tweet.fields': ['created_at'] },
    });
    const duplicates = record(stream, 'duplicate');
    const seen: string[] = [];
    const done = (async () => {
      for await (const { data } of stream) seen.push(data.id);
    })();
    await until(() => seen.length === 3 && duplicates.length === 1, 'three posts and a duplicate');
    expect([...seen].sort()).toEqual(['1', '2', '77']);
    expect(duplicates).toEqual([{ type: 'duplicate', id: '77', partition: expect.any(Number) }]);
    expect(stream.stats.total.duplicates).toBe(1);
    expect(stream.stats.total.delivered).toBe(3);
    await stream.close();
    await done;
    await until(() => x.open === 0, 'both connections closed');
  });

  test('a fatal error on one partition ends the whole, names it, and closes the others', async () => {
    const x = await firehoseServer({
      postsFor: (p) => [`${p}`],
      status: (p) => (p === 3 ? 401 : 200),
    });
    const stream = client(x.baseUrl).partitions('firehose', { partitions: [1, 2, 3, 4] });
    const errors = record(stream, 'error');
    let thrown: unknown;
    try {
      for await (const _ of stream) {
        // keep reading until partition 3's error ends the loop
      }
    } catch (error) {
      thrown = error;
    }
    expect(isApiError(thrown)).toBe(true);
    expect(stream.failure?.partition).toBe(3);
    expect(stream.failure?.error).toBe(thrown);
    expect(errors.map((e) => e.partition)).toEqual([3]);
    await until(() => x.open === 0, 'the other connections closed');
    expect(stream.closed).toBe(true);
  });

  test('the signal option closes every partition', async () => {
    const x = await firehoseServer({ postsFor: (p) => [`${p}`] });
    const controller = new AbortController();
    const stream = client(x.baseUrl).partitions(
      'tweets-compliance',
      { partitions: 'all' },
      { signal: controller.signal, validate: 'off' },
    );
    const seen: unknown[] = [];
    const done = (async () => {
      for await (const message of stream) seen.push(message);
    })();
    await until(() => x.open === 4, 'four compliance connections');
    controller.abort();
    await done;
    await until(() => x.open === 0, 'every connection closed');
  });
});

describe('the selection is checked before any request', () => {
  const c = new StreamClient({ bearerToken: 't', baseUrl: 'http://127.0.0.1:9' });
  test.each([
    ['out of range', () => c.partitions('tweets-compliance', { partitions: [5 as 4] }), '1 to 4'],
    ['listed twice', () => c.partitions('firehose', { partitions: [2, 2] }), 'listed twice'],
    ['an empty list', () => c.partitions('firehose', { partitions: [] }), 'at least one'],
    [
      'a stream without partitions',
      () => c.partitions('labels' as 'firehose', { partitions: 'all' }),
      'has no partitions',
    ],
  ])('%s', (_name, open, message) => {
    expect(open).toThrow(ConfigError);
    expect(open).toThrow(message);
  });
});
