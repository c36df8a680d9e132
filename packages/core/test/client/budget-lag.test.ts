import {
  type BudgetUsage,
  isBudgetExhaustedError,
  isConnectionError,
  StreamClient,
  type StreamLifecycleEvent,
  type StreamOptions,
} from '@birdstream/core';
import {
  type ControlledBody,
  controlledBody,
  inTurn,
  ManualClock,
  neverEndingBody,
} from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { describe, expect, test } from 'vitest';
import { ofType } from '../helpers/events.js';
import { operationalDisconnectLine, post, postLine } from '../helpers/messages.js';
import { run } from '../helpers/stream-runner.js';
import { FILTER, useStreamServer } from '../helpers/stream-server.js';
import { until } from '../helpers/until.js';

const server = useStreamServer();

const TYPES = [
  'connected',
  'stream-errors',
  'disconnected',
  'reconnecting',
  'error',
  'closed',
  'usage',
  'budget-warning',
  'lag',
  'falling-behind',
  'caught-up',
] as const;

/** A stream over msw on a ManualClock; every body the server answered with, in order. */
function start(options: StreamOptions) {
  const clock = new ManualClock();
  const bodies: ControlledBody[] = [];
  const turn = inTurn([
    () => {
      const body = controlledBody();
      bodies.push(body);
      return new HttpResponse(body.body);
    },
  ]);
  server.use(http.get(FILTER, turn.handler));
  const stream = new StreamClient({ bearerToken: 't', clock }).filter({}, options);
  const events: StreamLifecycleEvent[] = [];
  /** `stats.delivered` when each event fired. */
  const deliveredAt: number[] = [];
  for (const type of TYPES) {
    stream.on(type, (event) => {
      events.push(event);
      deliveredAt.push(stream.stats.delivered);
    });
  }
  return { clock, bodies, stream, events, deliveredAt, requests: turn.requests };
}

/** A post created at `createdAt` (epoch ms). */
function postAt(id: string, createdAt: number) {
  const message = post(id);
  return { ...message, data: { ...message.data, created_at: new Date(createdAt).toISOString() } };
}

describe('budget: usage, warning and a clean stop at the limit', () => {
  test('warns once at the threshold, delivers the post that reaches the limit, then closes and throws BudgetExhaustedError', async () => {
    // A fetch answering with the body itself (msw tees mocked bodies, so a cancel would not reach it).
    const clock = new ManualClock();
    const spy = neverEndingBody(Array.from({ length: 8 }, (_, i) => postLine(String(i + 1))));
    let requests = 0;
    const fetch = (async () => {
      requests++;
      return new Response(spy.body, { status: 200 });
    }) as typeof globalThis.fetch;
    const stream = new StreamClient({ bearerToken: 't', clock, fetch }).filter(
      {},
      { budget: { maxPosts: 5, period: 'run', warnAt: 0.6 } },
    );
    const events: StreamLifecycleEvent[] = [];
    const deliveredAt: number[] = [];
    for (const type of TYPES) {
      stream.on(type, (event) => {
        events.push(event);
        deliveredAt.push(stream.stats.delivered);
      });
    }
    const consumer = run(stream);
    await consumer.done;

    // Every post it was given, and no more.
    expect(consumer.posts.map((p) => p.data.id)).toEqual(['1', '2', '3', '4', '5']);
    const error = consumer.error;
    expect(isBudgetExhaustedError(error)).toBe(true);
    if (!isBudgetExhaustedError(error)) return;
    expect(error.usage).toMatchObject({ period: 'run', delivered: 5, limit: 5, percent: 100 });
    expect(error.message).toContain('5 of 5 posts delivered in this run');
    expect(error.message).toContain('budget.maxPosts');

    // The warning fired once, when the third post (60 % of 5) was delivered.
    const warnings = ofType(events, 'budget-warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.usage.delivered).toBe(3);
    expect(deliveredAt[events.indexOf(warnings[0]!)]).toBe(3);

    // Clean stop: the socket is released, nothing reconnects, no timer is left behind.
    await spy.cancelled;
    expect(spy.cancelCalls).toBe(1);
    expect(requests).toBe(1);
    expect(ofType(events, 'reconnecting')).toHaveLength(0);
    expect(clock.pendingTimers).toBe(0);
    expect(ofType(events, 'error')).toEqual([{ type: 'error', error }]);
    expect(ofType(events, 'closed')).toEqual([{ type: 'closed', error }]);
    expect(stream.closed).toBe(true);
    expect(stream.stats.usage).toEqual(error.usage);
  });

  test('usage events: at most one per second of clock time, plus the warning, the limit and the end', async () => {
    const ctx = start({ budget: { maxPosts: 100, period: 'day', warnAt: 0.05 } });
    const iterator = ctx.stream[Symbol.asyncIterator]();
    const times: number[] = [];
    for (let i = 1; i <= 7; i++) {
      const next = iterator.next();
      await until(() => ctx.bodies.length === 1, 'the connection');
      ctx.bodies[0]!.message(post(String(i)));
      await next;
      times.push(ctx.clock.now());
      await ctx.clock.advance(400);
    }
    const t0 = times[0]!;
    const usage = () => ofType(ctx.events, 'usage').map((e) => e.usage);
    // Delivered every 400 ms: reported at 0 and 1200 (a second later), and the 5th post is the warning (5 % of 100).
    expect(usage().map((u) => u.delivered)).toEqual([1, 4, 5]);
    expect(ofType(ctx.events, 'budget-warning').map((e) => e.usage.delivered)).toEqual([5]);
    expect(times.map((t) => t - t0)).toEqual([0, 400, 800, 1200, 1600, 2000, 2400]);
    const last = usage().at(-1)!;
    expect(last).toMatchObject({ period: 'day', limit: 100, percent: 5 });
    expect(last.periodStart).toBe(Date.UTC(2026, 0, 1));
    expect(last.periodEnd).toBe(Date.UTC(2026, 0, 2));
    // 5 posts in 1.6 s over a day that has (almost) all of it left: a projection far above the cap.
    expect(last.projected).toBeGreaterThan(100);
    // stats always hold the latest figures, even between events.
    expect(ctx.stream.stats.usage?.delivered).toBe(7);
    await iterator.return?.();
    // The end reports what the throttle held back.
    const final = usage().at(-1) as BudgetUsage;
    expect(final.delivered).toBe(7);
  });

  test('a budget already spent (alreadyDelivered) ends the stream before it connects', async () => {
    const ctx = start({ budget: { maxPosts: 10, alreadyDelivered: 10 } });
    const consumer = run(ctx.stream);
    await consumer.done;
    expect(isBudgetExhaustedError(consumer.error)).toBe(true);
    expect(ctx.requests).toHaveLength(0);
    expect(consumer.posts).toEqual([]);
  });

  test('a bad budget is a ConfigError when the stream is made', () => {
    const client = new StreamClient({ bearerToken: 't', clock: new ManualClock() });
    expect(() => client.filter({}, { budget: { maxPosts: 0 } })).toThrow(/budget.maxPosts/);
    expect(() => client.filter({}, { lag: { maxConsumerShare: 2 } })).toThrow(
      /lag.maxConsumerShare/,
    );
  });
});

describe('lag: falling behind before X disconnects', () => {
  /**
   * A post is created and arrives every 500 ms; the consumer holds each for
   * `holdMs` of clock time, then asks for the next. Returns the events seen
   * while posts were still flowing (the body still open).
   */
  async function consume(holdMs: number, count: number) {
    const ctx = start({ lag: { intervalMs: 1_000 } });
    const iterator = ctx.stream[Symbol.asyncIterator]();
    const t0 = ctx.clock.now();
    let pushed = 0;
    for (let i = 0; i < count; i++) {
      const next = iterator.next();
      await until(() => ctx.bodies.length === 1, 'the connection');
      const arrival = t0 + i * 500;
      if (ctx.clock.now() < arrival) await ctx.clock.advance(arrival - ctx.clock.now());
      // Everything X has sent by now waits in the socket.
      while (pushed < count && t0 + pushed * 500 <= ctx.clock.now()) {
        ctx.bodies[0]!.message(postAt(String(pushed + 1), t0 + pushed * 500));
        pushed++;
      }
      await next;
      await ctx.clock.advance(holdMs);
    }
    // Still open: what was seen came before the stream ended.
    expect(ctx.bodies[0]!.closed).toBe(false);
    const seen = [...ctx.events];
    const stats = ctx.stream.stats;
    await iterator.return?.();
    return { seen, stats };
  }

  test('a consumer holding each post longer than the arrival interval gets falling-behind', async () => {
    const { seen } = await consume(800, 8);
    const behind = ofType(seen, 'falling-behind');
    expect(behind).toHaveLength(1);
    expect(behind[0]!.reason).toBe('consumer-saturated');
    expect(behind[0]!.lag.consumerShare).toBeGreaterThanOrEqual(0.9);
    expect(behind[0]!.lag.holdMs?.p50).toBe(800);
    const lags = ofType(seen, 'lag').map((e) => e.lag);
    expect(lags.length).toBeGreaterThanOrEqual(2);
    // The posts it gets are older and older: created every 500 ms, taken every 800 ms.
    expect(lags.at(-1)!.ageMs!.p50).toBeGreaterThan(lags[0]!.ageMs!.p50);
  });

  test('a consumer faster than the arrivals gets lag events but no falling-behind', async () => {
    const { seen, stats } = await consume(100, 12);
    expect(ofType(seen, 'lag').length).toBeGreaterThanOrEqual(1);
    expect(ofType(seen, 'falling-behind')).toHaveLength(0);
    expect(stats.lag?.consumerShare).toBeLessThan(0.9);
  });

  test('lag: false turns the measurements off', async () => {
    const ctx = start({ lag: false });
    const consumer = run(ctx.stream);
    await until(() => ctx.bodies.length === 1, 'the connection');
    for (let i = 1; i <= 3; i++) {
      ctx.bodies[0]!.message(post(String(i)));
      await until(() => consumer.posts.length === i, `post ${i}`);
      await ctx.clock.advance(10_000);
    }
    expect(ofType(ctx.events, 'lag')).toHaveLength(0);
    expect(ctx.stream.stats.lag).toBeUndefined();
  });
});

describe('a SlowReader disconnect is named', () => {
  test('stream-errors and disconnected say X dropped this client for reading too slowly, and what to do', async () => {
    const ctx = start({});
    const consumer = run(ctx.stream);
    await until(() => ctx.bodies.length === 1, 'the connection');
    ctx.bodies[0]!.message(post('1'));
    ctx.bodies[0]!.message({
      errors: [
        {
          title: 'operational-disconnect',
          disconnect_type: 'SlowReader',
          detail: 'This stream has been disconnected because your client was too slow.',
          type: 'https://api.twitter.com/2/problems/operational-disconnect',
        },
      ],
    });
    await until(() => ofType(ctx.events, 'disconnected').length === 1, 'disconnected');
    const errors = ofType(ctx.events, 'stream-errors');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.disconnect).toBe(true);
    expect(errors[0]!.reason).toMatch(
      /disconnected this client for reading too slowly \(SlowReader/,
    );
    expect(errors[0]!.reason).toMatch(/Decouple reading from processing/);
    const reason = ofType(ctx.events, 'disconnected')[0]!.reason;
    expect(isConnectionError(reason)).toBe(true);
    expect(reason?.message).toMatch(/reading too slowly \(SlowReader/);
    expect(consumer.posts).toHaveLength(1);
  });

  test('a "Client too slow" detail without the SlowReader type is named too', async () => {
    const ctx = start({});
    run(ctx.stream);
    await until(() => ctx.bodies.length === 1, 'the connection');
    ctx.bodies[0]!.message({
      errors: [
        {
          title: 'operational-disconnect',
          disconnect_type: 'ForceDisconnect',
          detail: 'Client too slow',
          type: 'https://api.twitter.com/2/problems/operational-disconnect',
        },
      ],
    });
    await until(() => ofType(ctx.events, 'disconnected').length === 1, 'disconnected');
    expect(ofType(ctx.events, 'stream-errors')[0]!.reason).toMatch(/SlowReader/);
  });

  test('an ordinary operational disconnect is not called slow', async () => {
    const plain = start({});
    run(plain.stream);
    await until(() => plain.bodies.length === 1, 'the second connection');
    plain.bodies[0]!.push(operationalDisconnectLine());
    await until(() => ofType(plain.events, 'disconnected').length === 1, 'disconnected');
    expect(ofType(plain.events, 'stream-errors')[0]!.reason).toBeUndefined();
    expect(ofType(plain.events, 'disconnected')[0]!.reason?.message).toMatch(/operational reasons/);
  });
});
