import {
  isConnectionError,
  isRuleConfigurationError,
  isServerError,
  type ReconnectContext,
  StreamClient,
  type StreamOptions,
} from '@birdstream/core';
import {
  bodyFromChunks,
  controlledBody,
  inTurn,
  ManualClock,
  readFixtureText,
} from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { describe, expect, test } from 'vitest';
import { ofType, typesOf } from '../helpers/events.js';
import { operationalDisconnectLine, post, postLine } from '../helpers/messages.js';
import { followReconnects, run } from '../helpers/stream-runner.js';
import { FILTER, useStreamServer } from '../helpers/stream-server.js';
import { until } from '../helpers/until.js';

const server = useStreamServer();

function start(responders: Parameters<typeof inTurn>[0], options: StreamOptions = {}) {
  const clock = new ManualClock();
  const turn = inTurn(responders);
  server.use(http.get(FILTER, turn.handler));
  const stream = new StreamClient({ bearerToken: 'token', clock }).filter({}, options);
  return Object.assign(run(stream), { clock, stream, requests: turn.requests });
}

async function stop(ctx: ReturnType<typeof start>) {
  await ctx.stream.close();
  await ctx.done;
  expect(ctx.clock.pendingTimers).toBe(0);
}

const networkError = () => HttpResponse.error();
const status =
  (code: number, body = '', headers: Record<string, string> = {}) =>
  () =>
    new HttpResponse(body, { status: code, headers });
const tooManyConnections = readFixtureText(
  'errors/stream_connect_429_too_many_connections_2020.json',
);

describe('reconnect schedules in virtual time', () => {
  test('network errors: 250, 500, 750 … up to 16 000 ms, then 16 000', async () => {
    // One short connection first: a stream that never connected ends after the
    // first-connection bound (tested in first-connection.test.ts), not here.
    const ctx = start([() => new HttpResponse(bodyFromChunks([])), networkError]);
    const delays = await followReconnects(ctx.clock, ctx.events, 66);
    expect(delays).toEqual(Array.from({ length: 66 }, (_, i) => Math.min((i + 1) * 250, 16_000)));
    expect(ctx.requests.length).toBeGreaterThanOrEqual(67);
    const reconnecting = ofType(ctx.events, 'reconnecting');
    expect(reconnecting.every((e) => e.failure === 'network' && isConnectionError(e.reason))).toBe(
      true,
    );
    expect(reconnecting.map((e) => e.attempt).slice(0, 3)).toEqual([1, 2, 3]);
    expect(ctx.stream.stats.reconnects).toBeGreaterThanOrEqual(66);
    await stop(ctx);
  });

  test('5xx: 5 s, 10 s … 320 s, then 320 s', async () => {
    const ctx = start([status(500), status(502), status(503), status(504)]);
    const delays = await followReconnects(ctx.clock, ctx.events, 8);
    expect(delays).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 320_000]);
    const reasons = ofType(ctx.events, 'reconnecting').map((e) => e.reason);
    expect(reasons.every(isServerError)).toBe(true);
    expect(ofType(ctx.events, 'reconnecting')[0]?.failure).toBe('http');
    await stop(ctx);
  });

  test('429: 60 s doubling up to 960 s', async () => {
    const ctx = start([status(429, 'Rate limit exceeded')]);
    const delays = await followReconnects(ctx.clock, ctx.events, 6);
    expect(delays).toEqual([60_000, 120_000, 240_000, 480_000, 960_000, 960_000]);
    expect(ofType(ctx.events, 'reconnecting')[0]?.failure).toBe('rate-limit');
    await stop(ctx);
  });

  test('429 waits for x-rate-limit-reset when the window is exhausted', async () => {
    const clock0 = new ManualClock().now();
    const resetAt = clock0 / 1000 + 30 * 60; // 30 minutes after the start
    const ctx = start([
      status(429, 'Rate limit exceeded', {
        'x-rate-limit-limit': '50',
        'x-rate-limit-remaining': '0',
        'x-rate-limit-reset': String(resetAt),
      }),
      status(429, 'Rate limit exceeded'),
    ]);
    const delays = await followReconnects(ctx.clock, ctx.events, 2);
    // 30 minutes, then the doubled 120 s of the second consecutive 429
    expect(delays).toEqual([1_800_000, 120_000]);
    await stop(ctx);
  });

  test('TooManyConnections: 60 s doubling, ignoring the reset header while capacity remains', async () => {
    const headers = {
      'content-type': 'application/json',
      'x-rate-limit-limit': '50',
      'x-rate-limit-remaining': '47',
      'x-rate-limit-reset': String(new ManualClock().now() / 1000 + 900),
    };
    const ctx = start([status(429, tooManyConnections, headers)]);
    const delays = await followReconnects(ctx.clock, ctx.events, 4);
    expect(delays).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect(ofType(ctx.events, 'reconnecting')[0]?.failure).toBe('too-many-connections');
    await stop(ctx);
  });

  test('the schedule can be overridden number by number, with injected jitter', async () => {
    const ctx = start([networkError], {
      schedule: { networkStepMs: 1_000, networkMaxMs: 2_500, jitter: 0.5 },
      random: () => 0.5,
    });
    // 1000 + 25 %, 2000 + 25 %, 2500 + 25 %
    expect(await followReconnects(ctx.clock, ctx.events, 3)).toEqual([1_250, 2_500, 3_125]);
    await stop(ctx);
  });
});

describe('healthy connections, short-lived connections and resets', () => {
  test('a healthy stream that drops reconnects at once; the backoff then starts over', async () => {
    const healthy = controlledBody();
    const ctx = start([
      () => new HttpResponse(healthy.body),
      networkError,
      networkError,
      networkError,
    ]);
    await until(() => ofType(ctx.events, 'connected').length === 1, 'the first connection');
    healthy.message(post('1'));
    await until(() => ctx.posts.length === 1, 'the post');
    // 31 s of keep-alives every 20 s: healthy (healthyAfterMs 30 s), no stall
    await ctx.clock.advance(20_000);
    healthy.keepAlive();
    await ctx.clock.advance(11_000);
    healthy.fail();
    const delays = await followReconnects(ctx.clock, ctx.events, 4);
    expect(delays).toEqual([0, 250, 500, 750]);
    const disconnected = ofType(ctx.events, 'disconnected')[0]!;
    expect(disconnected).toMatchObject({ healthy: true, durationMs: 31_000 });
    expect(isConnectionError(disconnected.reason)).toBe(true);
    // attempts count reconnects since the last healthy connection
    expect(
      ofType(ctx.events, 'connecting')
        .map((e) => e.attempt)
        .slice(0, 5),
    ).toEqual([0, 1, 2, 3, 4]);
    expect(
      ofType(ctx.events, 'reconnecting')
        .map((e) => e.attempt)
        .slice(0, 4),
    ).toEqual([1, 2, 3, 4]);
    await stop(ctx);
  });

  test('a connection that closes right after opening counts as a failure: no hot loop', async () => {
    const ctx = start([() => new HttpResponse(bodyFromChunks([postLine('1')]))]);
    const delays = await followReconnects(ctx.clock, ctx.events, 4);
    expect(delays).toEqual([250, 500, 750, 1_000]);
    expect(ofType(ctx.events, 'disconnected')[0]).toMatchObject({ healthy: false, durationMs: 0 });
    expect(ofType(ctx.events, 'disconnected')[0]?.reason?.message).toBe(
      'The server ended the stream; reconnecting.',
    );
    await stop(ctx);
  });

  test('backoff of a 5xx resets after a healthy connection', async () => {
    const healthy = controlledBody();
    const ctx = start([
      status(503),
      status(503),
      () => new HttpResponse(healthy.body),
      status(503),
    ]);
    expect(await followReconnects(ctx.clock, ctx.events, 2)).toEqual([5_000, 10_000]);
    await until(() => ofType(ctx.events, 'connected').length === 1, 'the healthy connection');
    for (let i = 0; i < 3; i++) {
      await ctx.clock.advance(15_000);
      healthy.keepAlive();
    }
    healthy.end();
    expect(await followReconnects(ctx.clock, ctx.events, 2)).toEqual([0, 5_000]);
    await stop(ctx);
  });
});

describe('maxRetries and the policy hook', () => {
  test('after maxRetries reconnects without a healthy connection, the iterator throws the last error', async () => {
    const ctx = start([status(500), status(502), status(503), status(504)], { maxRetries: 3 });
    await followReconnects(ctx.clock, ctx.events, 3);
    await ctx.done;
    expect(ctx.requests).toHaveLength(4);
    expect(isServerError(ctx.error)).toBe(true);
    expect((ctx.error as { status: number }).status).toBe(504);
    expect(typesOf(ctx.events).slice(-2)).toEqual(['error', 'closed']);
    expect(ctx.clock.pendingTimers).toBe(0);
  });

  test('maxRetries: 0 never reconnects', async () => {
    const ctx = start([networkError], { maxRetries: 0 });
    await ctx.done;
    expect(ctx.requests).toHaveLength(1);
    expect(isConnectionError(ctx.error)).toBe(true);
  });

  test('the policy hook can change a delay, stop, or retry what X calls fatal', async () => {
    const contexts: ReconnectContext[] = [];
    const noRules = readFixtureText(
      'errors/stream_connect_409_rule_configuration_issue_no_rules.json',
    );
    const ctx = start([networkError, status(409, noRules), status(409, noRules)], {
      policy: (context) => {
        contexts.push(context);
        if (context.kind === 'network') return 1_234;
        return context.attempt === 2 ? 60_000 : false; // wait a minute for rules once, then give up
      },
    });
    expect(await followReconnects(ctx.clock, ctx.events, 2)).toEqual([1_234, 60_000]);
    await ctx.done;
    expect(isRuleConfigurationError(ctx.error)).toBe(true);
    expect(contexts.map((c) => [c.kind, c.attempt, c.defaultDelayMs])).toEqual([
      ['network', 1, 250],
      ['fatal', 2, undefined],
      ['fatal', 3, undefined],
    ]);
    expect(ofType(ctx.events, 'reconnecting')[1]?.failure).toBe('http');
  });
});

describe('in-band operational disconnect', () => {
  test('a post that arrives with the disconnect notice is still delivered', async () => {
    const recorded = JSON.parse(operationalDisconnectLine()) as { errors: unknown[] };
    const both = `${JSON.stringify({ ...post('5'), errors: recorded.errors })}\r\n`;
    const ctx = start([() => new HttpResponse(bodyFromChunks([both])), networkError]);
    await followReconnects(ctx.clock, ctx.events, 1);
    expect(ctx.posts.map((p) => p.data.id)).toEqual(['5']);
    expect(ofType(ctx.events, 'stream-errors')[0]).toMatchObject({
      disconnect: true,
      withData: true,
    });
    expect(ofType(ctx.events, 'reconnecting')[0]?.delayMs).toBe(0);
    await stop(ctx);
  });

  test('reconnects at once, reports stream-errors, and backs off if it repeats right away', async () => {
    const first = controlledBody();
    const ctx = start([
      () => new HttpResponse(first.body),
      () => new HttpResponse(bodyFromChunks([operationalDisconnectLine()])),
      networkError,
    ]);
    await until(() => ofType(ctx.events, 'connected').length === 1, 'connected');
    first.message(post('1'));
    first.push(operationalDisconnectLine());
    // the server keeps the socket open: birdstream must not wait for it to close
    const delays = await followReconnects(ctx.clock, ctx.events, 3);
    expect(delays).toEqual([0, 250, 500]);
    const errors = ofType(ctx.events, 'stream-errors');
    expect(errors[0]).toMatchObject({ disconnect: true, withData: false });
    expect(errors[0]?.errors[0]).toMatchObject({ disconnect_type: 'OperationalDisconnect' });
    expect(ctx.posts).toHaveLength(1);
    await stop(ctx);
  });
});
