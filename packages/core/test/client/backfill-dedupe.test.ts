import { StreamClient, type StreamOptions, type StreamResponse } from '@birdstream/core';
import {
  bodyFromChunks,
  type ControlledBody,
  controlledBody,
  inTurn,
  ManualClock,
} from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { describe, expect, test } from 'vitest';
import { ofType } from '../helpers/events.js';
import { post, postLine } from '../helpers/messages.js';
import { followReconnects, run } from '../helpers/stream-runner.js';
import { FILTER, useStreamServer } from '../helpers/stream-server.js';
import { until } from '../helpers/until.js';

const server = useStreamServer();

/**
 * A stream server that replays: it remembers what it sent and, when asked
 * for `backfill_minutes`, first sends the last `replayCount` posts again.
 * Each connection is a controlled body; `failNext` answers 503s.
 */
function replayingServer(replayCount: number) {
  const sent: string[] = [];
  const bodies: ControlledBody[] = [];
  const requests: URL[] = [];
  let failures = 0;
  server.use(
    http.get(FILTER, ({ request }) => {
      const url = new URL(request.url);
      requests.push(url);
      if (failures > 0) {
        failures--;
        return new HttpResponse('Service Unavailable', { status: 503 });
      }
      const body = controlledBody();
      bodies.push(body);
      if (url.searchParams.has('backfill_minutes')) {
        for (const id of sent.slice(-replayCount)) body.message(post(id));
      }
      return new HttpResponse(body.body);
    }),
  );
  return {
    requests,
    bodies,
    send(id: string) {
      sent.push(id);
      bodies.at(-1)!.message(post(id));
    },
    failNext(n: number) {
      failures = n;
    },
  };
}

function start(options: StreamOptions, params: object = {}) {
  const clock = new ManualClock();
  const stream = new StreamClient({ bearerToken: 't', clock }).stream<StreamResponse>(
    'filter',
    params,
    options,
  );
  return Object.assign(run(stream), { clock, stream });
}

const ids = (posts: StreamResponse[]) => posts.map((p) => p.data?.id);

describe("backfill: 'auto'", () => {
  test('asks for the outage since the last byte, rounded up, and delivers each post once', async () => {
    const x = replayingServer(2);
    const ctx = start({ backfill: 'auto' });
    await until(() => x.bodies.length === 1, 'first connection');
    expect(x.requests[0]?.searchParams.has('backfill_minutes')).toBe(false);
    for (const id of ['1', '2', '3']) x.send(id);
    await until(() => ctx.posts.length === 3, 'three posts');
    await ctx.clock.advance(20_000);
    x.bodies[0]!.keepAlive();
    await ctx.clock.advance(20_000);
    x.bodies[0]!.keepAlive();
    await until(() => ctx.stream.stats.keepAlives === 2, 'keep-alives');
    const lastByte = ctx.clock.now();
    // the network drops; the next 4 attempts get 503 (0 + 5 + 10 + 20 + 40 s = 75 s outage)
    x.failNext(4);
    x.bodies[0]!.fail();
    expect(await followReconnects(ctx.clock, ctx.events, 5)).toEqual([
      0, 5_000, 10_000, 20_000, 40_000,
    ]);
    await until(() => x.bodies.length === 2, 'the reconnection');
    x.send('4');
    await until(() => ctx.posts.length === 4, 'post 4');

    expect(ids(ctx.posts)).toEqual(['1', '2', '3', '4']);
    // Each attempt asked for the outage so far; only the one that connected announces its backfill.
    expect(ofType(ctx.events, 'connecting').map((c) => c.backfillMinutes)).toEqual([
      undefined,
      1,
      1,
      1,
      1,
      2,
    ]);
    const backfills = ofType(ctx.events, 'backfill');
    expect(backfills.map((b) => [b.outageMs, b.minutes])).toEqual([[75_000, 2]]);
    expect(backfills.every((b) => !b.exceedsWindow)).toBe(true);
    expect(ctx.clock.now() - lastByte).toBe(75_000);
    expect(x.requests.at(-1)?.searchParams.get('backfill_minutes')).toBe('2');
    expect(ofType(ctx.events, 'connecting').at(-1)?.backfillMinutes).toBe(2);
    expect(ofType(ctx.events, 'duplicate').map((d) => d.id)).toEqual(['2', '3']);
    expect(ctx.stream.stats).toMatchObject({ received: 6, delivered: 4, duplicates: 2 });
  });

  test('an outage beyond 5 minutes asks for 5 and says the window is exceeded', async () => {
    let down = true;
    const turn = inTurn([
      () => new HttpResponse(bodyFromChunks([postLine('1')])),
      () => (down ? HttpResponse.error() : new HttpResponse(controlledBody().body)),
    ]);
    server.use(http.get(FILTER, turn.handler));
    const ctx = start({ backfill: 'auto' });
    await until(() => ctx.posts.length === 1, 'post');
    await ctx.clock.advance(400_000); // sleeping 250 ms, then failing repeatedly
    await until(
      () => ofType(ctx.events, 'connecting').some((c) => c.backfillMinutes === 5),
      'an attempt after a long outage',
    );
    // Failed attempts announce no backfill; the connection that comes up does.
    expect(ofType(ctx.events, 'backfill')).toEqual([]);
    down = false;
    await ctx.clock.advance(16_000); // the longest network back-off
    await until(() => ofType(ctx.events, 'backfill').length === 1, 'the reconnection');
    expect(ofType(ctx.events, 'backfill')[0]!.outageMs).toBeGreaterThan(300_000);
    const last = ofType(ctx.events, 'backfill').at(-1)!;
    expect(last.minutes).toBe(5);
    expect(last.exceedsWindow).toBe(true);
  });
});

describe('backfill: a fixed number', () => {
  test('every reconnect asks for that many minutes; the first connection does not', async () => {
    const turn = inTurn([() => HttpResponse.error()]);
    server.use(http.get(FILTER, turn.handler));
    const ctx = start({ backfill: 3 });
    await followReconnects(ctx.clock, ctx.events, 2);
    await until(() => turn.requests.length === 3, 'three requests');
    expect(turn.requests.map((r) => new URL(r.url).searchParams.get('backfill_minutes'))).toEqual([
      null,
      '3',
      '3',
    ]);
  });

  test('backfill_minutes in params is sent on the first connection too', async () => {
    const turn = inTurn([() => new HttpResponse(bodyFromChunks([]))]);
    server.use(http.get(FILTER, turn.handler));
    const ctx = start({ backfill: 1 }, { backfill_minutes: 4 });
    await followReconnects(ctx.clock, ctx.events, 1);
    await until(() => turn.requests.length === 2, 'two requests');
    expect(turn.requests.map((r) => new URL(r.url).searchParams.get('backfill_minutes'))).toEqual([
      '4',
      '1',
    ]);
  });
});

describe('dedupe', () => {
  test('is on by default when backfilling; dedupe: false lets replays through', async () => {
    const x = replayingServer(2);
    const ctx = start({ backfill: 1, dedupe: false });
    await until(() => x.bodies.length === 1, 'connected');
    x.send('1');
    x.send('2');
    await until(() => ctx.posts.length === 2, 'posts');
    x.bodies[0]!.fail();
    await followReconnects(ctx.clock, ctx.events, 1);
    await until(() => ctx.posts.length === 4, 'replayed posts');
    expect(ids(ctx.posts)).toEqual(['1', '2', '1', '2']);
    expect(ofType(ctx.events, 'duplicate')).toHaveLength(0);
  });

  test('is off by default without backfill, and can be turned on for in-session duplicates', async () => {
    const lines = [postLine('7'), postLine('7'), postLine('8')];
    server.use(http.get(FILTER, () => new HttpResponse(bodyFromChunks(lines))));
    const plain = start({ maxRetries: 0 });
    await until(() => plain.stream.stats.received === 3, 'three messages');
    expect(ids(plain.posts)).toEqual(['7', '7', '8']);
    await plain.stream.close();

    const deduped = start({ maxRetries: 0, dedupe: true });
    await until(() => deduped.stream.stats.received === 3, 'three messages');
    expect(ids(deduped.posts)).toEqual(['7', '8']);
    expect(ofType(deduped.events, 'duplicate')).toEqual([{ type: 'duplicate', id: '7' }]);
  });

  test('remembers only the last `window` ids', async () => {
    const lines = ['1', '2', '3', '1', '3'].map((id) => postLine(id));
    server.use(http.get(FILTER, () => new HttpResponse(bodyFromChunks(lines))));
    const ctx = start({ maxRetries: 0, dedupe: { window: 2 } });
    await until(() => ctx.stream.stats.received === 5, 'five messages');
    // '1' fell out of the 2-id window when '3' arrived; '3' is still remembered
    expect(ids(ctx.posts)).toEqual(['1', '2', '3', '1']);
  });
});

describe('recovery (start_time / end_time)', () => {
  test('the stream ends when the server finishes the replay, with dedupe on', async () => {
    const lines = [postLine('1'), postLine('2'), postLine('1')];
    const turn = inTurn([() => new HttpResponse(bodyFromChunks(lines))]);
    server.use(http.get(FILTER, turn.handler));
    const ctx = start({}, { start_time: '2026-01-01T00:00:00Z', end_time: '2026-01-01T01:00:00Z' });
    await ctx.done;
    expect(ctx.error).toBeUndefined();
    expect(ids(ctx.posts)).toEqual(['1', '2']);
    expect(turn.requests).toHaveLength(1);
    expect(ofType(ctx.events, 'closed')).toEqual([{ type: 'closed' }]);
    expect(ctx.clock.pendingTimers).toBe(0);
  });
});
