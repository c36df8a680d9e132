import { StreamClient, type StreamStats } from '@birdstream/core';
import {
  controlledBody,
  ManualClock,
  parseScrape,
  until,
  useMswServer,
} from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, test } from 'vitest';
import { BirdstreamMetrics } from '../src/index.js';

const FILTER = 'https://api.x.com/2/tweets/search/stream';
const server = useMswServer();

const streams: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const stream of streams.splice(0)) await stream.close();
});

const post = (id: string, data: Record<string, unknown> = {}) => ({
  data: { id, text: `post ${id}`, edit_history_tweet_ids: [id], ...data },
  matching_rules: [{ id: '1', tag: 't' }],
});
/** like_count as a numeric string: the tolerant reader coerces it. */
const coerced = {
  public_metrics: { retweet_count: 0, reply_count: 0, like_count: '7', quote_count: 0 },
};
/** lang as an object: set aside. */
const setAside = { lang: { not: 'a string' } };

describe('schema drift and unrecognized messages (validate: tolerant)', () => {
  test('read from the stream’s stats at each scrape: drift by kind, summed over paths; unrecognized', async () => {
    const registry = new Registry();
    const metrics = new BirdstreamMetrics({ registry });
    const body = controlledBody();
    server.use(http.get(FILTER, () => new HttpResponse(body.body)));
    // An interval far beyond the test: the figures come from stats, not from schema-drift events.
    const stream = new StreamClient({ bearerToken: 't', clock: new ManualClock() }).filter(
      {},
      { schemaDrift: { intervalMs: 3_600_000 } },
    );
    streams.push(stream);
    metrics.trackStream(stream, { name: 'filter' });
    const posts: unknown[] = [];
    void (async () => {
      for await (const p of stream) posts.push(p);
    })();
    const filter = { stream: 'filter' };

    body.message(post('1'));
    await until(() => posts.length === 1, 'the first post');
    let s = await parseScrape(await registry.metrics());
    // Each kind has its series from the start, so rate() sees the first drift.
    expect(s.value('birdstream_stream_schema_drift_total', { kind: 'coerced' })).toBe(0);
    expect(s.value('birdstream_stream_schema_drift_total', { kind: 'set-aside' })).toBe(0);
    expect(s.value('birdstream_stream_unrecognized_total', filter)).toBe(0);

    body.message(post('2', coerced));
    body.message(post('3', setAside));
    body.message(post('4', { ...coerced, ...setAside }));
    body.message({ id: '5', note: 'neither data nor errors' });
    body.message(post('6', coerced));
    await until(() => posts.length === 5 && stream.stats.unrecognized === 1, 'five posts');
    s = await parseScrape(await registry.metrics());
    expect(s.value('birdstream_stream_schema_drift_total', { ...filter, kind: 'coerced' })).toBe(3);
    expect(s.value('birdstream_stream_schema_drift_total', { ...filter, kind: 'set-aside' })).toBe(
      2,
    );
    expect(s.value('birdstream_stream_unrecognized_total', filter)).toBe(1);
    expect(s.value('birdstream_stream_posts_total', filter)).toBe(5);
    // The path is not a label (bounded labels only): it is in stats.drift.
    expect(s.samples('birdstream_stream_schema_drift_total').map((x) => x.labels)).toEqual([
      { stream: 'filter', kind: 'coerced' },
      { stream: 'filter', kind: 'set-aside' },
    ]);
  });

  test('per partition of a partitioned stream, from each partition’s stats', async () => {
    const registry = new Registry();
    const metrics = new BirdstreamMetrics({ registry });
    const stats = (unrecognized: number, drift: [string, 'coerced' | 'set-aside', number][]) =>
      ({
        received: 0,
        delivered: 0,
        duplicates: 0,
        reconnects: 0,
        keepAlives: 0,
        invalid: 0,
        unrecognized,
        bytes: 0,
        lastByteAt: undefined,
        drift: drift.map(([path, kind, count]) => ({
          path,
          kind,
          detail: 'd',
          count,
          sinceLastReport: 0,
          samplePath: path,
          firstSeenAt: 0,
          lastSeenAt: 0,
        })),
      }) satisfies StreamStats;
    const partitionStats = {
      1: stats(2, [
        ['data.lang', 'set-aside', 4],
        ['data.public_metrics.like_count', 'coerced', 5],
        ['includes.users[].name', 'coerced', 6],
      ]),
      2: stats(0, []),
    };
    // A partitioned stream's public surface: its partitions, on(), and stats per partition.
    let reads = 0;
    const partitioned = {
      partitions: [1, 2],
      on: () => () => {},
      get stats() {
        reads++;
        return { partitions: partitionStats };
      },
    };
    metrics.trackStream(partitioned as never, { name: 'firehose' });
    const s = await parseScrape(await registry.metrics());
    // One read per partition per scrape, shared by every family: they agree with each other.
    expect(reads).toBe(2);
    const p1 = { stream: 'firehose', partition: '1' };
    const p2 = { stream: 'firehose', partition: '2' };
    expect(s.value('birdstream_stream_schema_drift_total', { ...p1, kind: 'coerced' })).toBe(11);
    expect(s.value('birdstream_stream_schema_drift_total', { ...p1, kind: 'set-aside' })).toBe(4);
    expect(s.value('birdstream_stream_unrecognized_total', p1)).toBe(2);
    expect(s.value('birdstream_stream_schema_drift_total', { ...p2, kind: 'coerced' })).toBe(0);
    expect(s.value('birdstream_stream_unrecognized_total', p2)).toBe(0);
  });

  test('an rx pipeline keeps no stats: no drift or unrecognized series (no zeros that would lie)', async () => {
    const registry = new Registry();
    const metrics = new BirdstreamMetrics({ registry });
    metrics.observer({ name: 'rx' })({ type: 'response' });
    const s = await parseScrape(await registry.metrics());
    expect(s.samples('birdstream_stream_schema_drift_total')).toEqual([]);
    expect(s.samples('birdstream_stream_unrecognized_total')).toEqual([]);
  });
});
