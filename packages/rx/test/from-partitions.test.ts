import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  complianceEvent,
  isApiError,
  isConfigError,
  StreamClient,
  type TweetComplianceMessage,
} from '@birdstream/core';
import { readFixtureText, streamLine, thrownBy, until } from '@birdstream/test-utils';
import { filter, firstValueFrom, take, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  dedupeByEndpoint,
  endpointDedupeKey,
  fromPartitions,
  fromStream,
  type PartitionStreamEvent,
} from '../src/index.js';

/**
 * A loopback X: each request is one partition's connection; it gets
 * `linesFor(partition)` and is held open until the client closes it.
 */
async function partitionServer(options: {
  linesFor: (partition: number) => string[];
  status?: (partition: number) => number;
}) {
  const connections: number[] = [];
  let open = 0;
  const server = createServer((req, res) => {
    const partition = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('partition'));
    connections.push(partition);
    const status = options.status?.(partition) ?? 200;
    if (status !== 200) {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ title: 'Forbidden', type: 'about:blank', status }));
      return;
    }
    open++;
    res.on('close', () => open--);
    res.writeHead(200, { 'content-type': 'application/json' });
    for (const line of options.linesFor(partition)) res.write(streamLine(line));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  return {
    client: new StreamClient({ bearerToken: 't', baseUrl: `http://127.0.0.1:${port}` }),
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

const post = (id: string) =>
  JSON.stringify({ data: { id, text: `post ${id}`, edit_history_tweet_ids: [id] } });

describe('fromPartitions', () => {
  it('20 firehose partitions: every post exactly once, tagged; unsubscribing closes every connection', async () => {
    const x = await partitionServer({
      linesFor: (p) => Array.from({ length: 3 }, (_, i) => post(`${p}0${i}`)),
    });
    const responses = await firehoseResponses(x.client, 60);
    expect(new Set(responses.map((e) => e.response.data.id)).size).toBe(60);
    for (const event of responses) {
      expect(event.response.data.id.startsWith(String(event.partition))).toBe(true);
    }
    expect([...x.connections].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    await until(() => x.open === 0, 'every connection closed');
  });

  it('drops a response another partition delivered, as a duplicate event with its partition', async () => {
    const x = await partitionServer({ linesFor: (p) => [post(`${p}`), post('77')] });
    const events = await firstValueFrom(
      fromPartitions(x.client, 'sample10', { partitions: 'all' }).pipe(
        filter((e) => e.type === 'response' || e.type === 'duplicate'),
        take(4),
        toArray(),
      ),
    );
    expect(events.filter((e) => e.type === 'response')).toHaveLength(3);
    expect(events.filter((e) => e.type === 'duplicate')).toEqual([
      { type: 'duplicate', id: '77', partition: expect.any(Number) },
    ]);
    await until(() => x.open === 0, 'both connections closed');
  });

  it('a fatal error on one partition: an error event names it, the Observable errors, the rest close', async () => {
    const x = await partitionServer({
      linesFor: (p) => [post(`${p}`)],
      status: (p) => (p === 2 ? 403 : 200),
    });
    const seen: PartitionStreamEvent<unknown>[] = [];
    const error = await new Promise<unknown>((resolve) => {
      fromPartitions(
        x.client,
        'users-compliance',
        { partitions: [1, 2, 3] },
        { validate: 'off' },
      ).subscribe({ next: (e) => seen.push(e), error: resolve });
    });
    expect(isApiError(error)).toBe(true);
    expect(seen.filter((e) => e.type === 'error').map((e) => e.partition)).toEqual([2]);
    await until(() => x.open === 0, 'the other connections closed');
  });

  it('checks the selection before any request', () => {
    const client = new StreamClient({ bearerToken: 't', baseUrl: 'http://127.0.0.1:9' });
    expect(
      isConfigError(
        thrownBy(() => fromPartitions(client, 'firehose-en', { partitions: [9 as 8] })),
      ),
    ).toBe(true);
    expect(() => fromPartitions(client, 'firehose', { partitions: [1, 1] })).toThrow(
      'listed twice',
    );
  });
});

describe('fromStream of any row, endpointDedupeKey and dedupeByEndpoint', () => {
  it('endpointDedupeKey reads response events and bare responses, and passes other events', () => {
    const key = endpointDedupeKey('activity');
    const message = { data: { event_type: 'news.new', event_uuid: '42' } };
    expect(key({ type: 'response', response: message })).toBe('42');
    expect(key(message)).toBe('42');
    expect(key({ type: 'keep-alive', at: 0 })).toBeUndefined();
  });

  it('a compliance stream, deduplicated by event identity: a delete and a drop of one post both pass', async () => {
    const lines = readFixtureText('oas-examples/tweets-compliance.jsonl')
      .split('\n')
      .filter((line) => line !== '');
    // The first two events arrive twice (as a backfill would replay them).
    const x = await partitionServer({
      linesFor: () => [lines[0]!, lines[0]!, lines[2]!, lines[2]!],
    });
    const events = await firstValueFrom(
      fromStream(x.client, 'tweets-compliance', { partition: 1 }).pipe(
        dedupeByEndpoint('tweets-compliance'),
        filter((e) => e.type === 'response'),
        take(2),
        toArray(),
      ),
    );
    const kinds = events.map((e) =>
      e.type === 'response'
        ? complianceEvent((e.response as TweetComplianceMessage).data)?.kind
        : '',
    );
    expect(kinds).toEqual(['delete', 'drop']);
    await until(() => x.open === 0, 'the connection closed');
  });
});

async function firehoseResponses(client: StreamClient, count: number) {
  const events = await firstValueFrom(
    fromPartitions(client, 'firehose', { partitions: 'all' }).pipe(
      filter((e) => e.type === 'response'),
      take(count),
      toArray(),
    ),
  );
  return events as Extract<PartitionStreamEvent<{ data: { id: string } }>, { type: 'response' }>[];
}
