import { StreamClient, type StreamLifecycleEvent } from '@birdstream/core';
import {
  type ControlledBody,
  controlledBody,
  ManualClock,
  parseScrape,
  streamLine,
  until,
  useMswServer,
} from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, test } from 'vitest';
import { BirdstreamMetrics } from '../src/index.js';

const FILTER = 'https://api.x.com/2/tweets/search/stream';
const server = useMswServer();

const post = (id: string) => ({
  data: { id, text: `post ${id}`, edit_history_tweet_ids: [id] },
  matching_rules: [{ id: '1', tag: 't' }],
});

const streams: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const stream of streams.splice(0)) await stream.close();
});

/** X answering each request in turn: 503 first, then controlled bodies. */
function scriptedX() {
  const bodies: ControlledBody[] = [];
  const requests: URL[] = [];
  server.use(
    http.get(FILTER, ({ request }) => {
      requests.push(new URL(request.url));
      if (requests.length === 1) return new HttpResponse('Service Unavailable', { status: 503 });
      const body = controlledBody();
      bodies.push(body);
      return new HttpResponse(body.body);
    }),
  );
  return { bodies, requests };
}

function consume(stream: AsyncIterable<unknown>) {
  const posts: unknown[] = [];
  const done = (async () => {
    for await (const post of stream) posts.push(post);
  })();
  return { posts, done };
}

describe('BirdstreamMetrics on a core stream', () => {
  test('counts posts, keep-alives, bytes, invalid messages, reconnects by reason, backfill, duplicates and the state', async () => {
    const registry = new Registry();
    const metrics = new BirdstreamMetrics({ registry });
    const clock = new ManualClock(1_767_225_600_000);
    const x = scriptedX();
    const stream = new StreamClient({ bearerToken: 't', clock }).stream(
      'filter',
      {},
      {
        backfill: 'auto',
        lag: { intervalMs: 1_000 },
      },
    );
    streams.push(stream);
    const events: StreamLifecycleEvent[] = [];
    stream.on('reconnecting', (e) => events.push(e));
    metrics.trackStream(stream, { name: 'filter' });
    const reader = consume(stream);

    // 503 → reconnect (http) after X's back-off.
    await until(() => events.length === 1, 'the first reconnect');
    await until(() => clock.pendingTimers === 1, 'the back-off');
    await clock.next();
    await until(() => x.bodies.length === 1, 'the first connection');
    const sent = [streamLine(post('1')), '\r\n', '{oops}\r\n', streamLine(post('2'))];
    for (const chunk of sent) x.bodies[0]!.push(chunk);
    await until(() => reader.posts.length === 2, 'two posts');
    let s = await parseScrape(await registry.metrics());
    const filter = { stream: 'filter' };
    expect(s.value('birdstream_stream_posts_total', filter)).toBe(2);
    expect(s.value('birdstream_stream_messages_total', filter)).toBe(2);
    expect(s.value('birdstream_stream_keep_alives_total', filter)).toBe(1);
    expect(s.value('birdstream_stream_received_bytes_total', filter)).toBe(
      Buffer.byteLength(sent.join('')),
    );
    expect(s.value('birdstream_stream_invalid_messages_total', { kind: 'invalid-json' })).toBe(1);
    expect(s.value('birdstream_stream_reconnects_total', { reason: 'http' })).toBe(1);
    expect(s.value('birdstream_stream_connections_total', filter)).toBe(1);
    expect(s.value('birdstream_stream_state', { state: 'connected' })).toBe(1);
    expect(s.sum('birdstream_stream_state')).toBe(1);
    expect(s.value('birdstream_stream_last_byte_timestamp_seconds', filter)).toBe(
      clock.now() / 1000,
    );

    // The reconnect after the 503 already asked for the minute since the start.
    expect(x.requests[1]?.searchParams.get('backfill_minutes')).toBe('1');
    expect(s.value('birdstream_stream_backfills_total', filter)).toBe(1);
    // The network drops: reconnect (network) with 1 minute of backfill; X replays post 2.
    await clock.advance(30_000);
    x.bodies[0]!.fail();
    await until(() => events.length === 2, 'the second reconnect');
    s = await parseScrape(await registry.metrics());
    expect(s.value('birdstream_stream_state', { state: 'reconnecting' })).toBe(1);
    await until(() => clock.pendingTimers === 1, 'the back-off');
    await clock.next();
    await until(() => x.bodies.length === 2, 'the second connection');
    expect(x.requests[2]?.searchParams.get('backfill_minutes')).toBe('1');
    x.bodies[1]!.message(post('2'));
    x.bodies[1]!.message(post('3'));
    await until(() => reader.posts.length === 3, 'post 3');
    await clock.advance(1_000);
    x.bodies[1]!.keepAlive();
    await until(
      () => stream.stats.keepAlives === 2 && stream.stats.lag !== undefined,
      'a lag interval',
    );
    s = await parseScrape(await registry.metrics());
    expect(s.value('birdstream_stream_posts_total', filter)).toBe(3);
    expect(s.value('birdstream_stream_duplicates_dropped_total', filter)).toBe(1);
    expect(s.value('birdstream_stream_reconnects_total', { reason: 'network' })).toBe(1);
    expect(s.sum('birdstream_stream_reconnects_total')).toBe(2);
    expect(s.value('birdstream_stream_backfills_total', filter)).toBe(2);
    expect(s.value('birdstream_stream_backfill_requested_seconds_total', filter)).toBe(120);
    expect(s.value('birdstream_stream_connections_total', filter)).toBe(2);
    // The lag interval: posts carry no created_at, so their age comes from the id (snowflake).
    expect(
      s.samples('birdstream_stream_consumer_hold_seconds').map((x) => x.labels.quantile),
    ).toEqual(['0.5', '1']);
    expect(s.value('birdstream_stream_consumer_busy_ratio', filter)).toBeGreaterThanOrEqual(0);
    expect(s.sum('birdstream_stream_falling_behind')).toBe(0);

    await stream.close();
    await reader.done;
    s = await parseScrape(await registry.metrics());
    expect(s.value('birdstream_stream_state', { state: 'closed' })).toBe(1);
    // Counters stay where they were.
    expect(s.value('birdstream_stream_posts_total', filter)).toBe(3);
  });

  test('names and labels follow the Prometheus conventions', async () => {
    const registry = new Registry();
    new BirdstreamMetrics({ registry });
    for (const family of BirdstreamMetrics.families) {
      expect(family.name).toMatch(/^[a-z_]+$/);
      if (family.type === 'counter') expect(family.name).toMatch(/_total$/);
      else expect(family.name).not.toMatch(/_total$/);
      // Base units only: seconds, bytes, ratios; never milliseconds or minutes.
      expect(family.name).not.toMatch(/_(ms|milliseconds|minutes|kb|mb)(_|$)/);
      expect(family.labels).not.toContain('id');
      expect(family.help.length).toBeGreaterThan(10);
    }
    const names = (await registry.getMetricsAsJSON()).map((m) => m.name);
    expect(names).toHaveLength(BirdstreamMetrics.families.length);
    expect(names.every((name) => name.startsWith('birdstream_'))).toBe(true);
  });

  test('a registry takes one BirdstreamMetrics; the error says what to do', () => {
    const registry = new Registry();
    new BirdstreamMetrics({ registry });
    expect(() => new BirdstreamMetrics({ registry })).toThrow(
      /already has a metric named birdstream_stream_posts_total: create one BirdstreamMetrics per registry/,
    );
    expect(() => new BirdstreamMetrics({ registry, prefix: 'other_' })).not.toThrow();
    expect(() => new BirdstreamMetrics({} as never)).toThrow(/needs \{ registry \}/);
  });
});
