/**
 * The edges of a reconnect's backfill, against a fake X that keeps a
 * timeline (a post every `everyMs` from the start, sent `lagMs` after it was
 * created) and replays `backfill_minutes` counted back from when a request
 * reaches it, as X does. Virtual time (`ManualClock`): the test decides when
 * the request arrives, how late X delivers, when the consumer gets to each
 * post, so each case is the same on any machine. Every case asserts that
 * each post of the timeline up to the newest delivered came exactly once;
 * each lost posts under the sizing before the margins (decisions/0005).
 */
import {
  type BackfillEvent,
  type RecoveryEvent,
  StreamClient,
  type StreamOptions,
  type StreamResponse,
} from '@birdstream/core';
import { type ControlledBody, controlledBody, ManualClock } from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { describe, expect, test } from 'vitest';
import { ofType, recordEvents } from '../helpers/events.js';
import { FILTER, useStreamServer } from '../helpers/stream-server.js';
import { until } from '../helpers/until.js';

const server = useStreamServer();
const T0 = Date.UTC(2026, 0, 1);

/** A post of the timeline, created at `createdAt` (its time is what the client measures lag and coverage by). */
function postLine(n: number, createdAt: number): string {
  const id = String(n);
  const data = {
    id,
    text: `post ${id}`,
    edit_history_tweet_ids: [id],
    created_at: new Date(createdAt).toISOString(),
  };
  return `${JSON.stringify({ data })}\r\n`;
}

interface Live {
  body: ControlledBody;
  /** The next post of the timeline this connection sends. */
  next: number;
}

/**
 * X with a timeline: post `n` is created at `T0 + n × everyMs` and a live
 * connection sends it once it is `lagMs` old. A request with
 * `backfill_minutes` replays from `minutes` before it reached X; one with
 * `start_time`/`end_time` replays that window and ends. `delayNextRequest()`
 * holds the next request until `arrive()`: the time between is the
 * request's way to X.
 */
function fakeX(clock: ManualClock, { everyMs, lagMs }: { everyMs: number; lagMs: number }) {
  const createdAt = (n: number) => T0 + n * everyMs;
  /** The first post created at or after `time`. */
  const firstFrom = (time: number) => Math.max(0, Math.ceil((time - T0) / everyMs));
  const arrivals: { at: number; url: URL }[] = [];
  let live: Live | undefined;
  let held: (() => void) | undefined;
  let holdNext = false;
  server.use(
    http.get(FILTER, async ({ request }) => {
      const url = new URL(request.url);
      if (holdNext) {
        holdNext = false;
        await new Promise<void>((resolve) => {
          held = resolve;
        });
      }
      const at = clock.now();
      arrivals.push({ at, url });
      const body = controlledBody();
      const start = url.searchParams.get('start_time');
      if (start !== null) {
        const end = Date.parse(url.searchParams.get('end_time') as string);
        let replay = '';
        for (let n = firstFrom(Date.parse(start)); createdAt(n) < end; n++) {
          replay += postLine(n, createdAt(n));
        }
        body.push(replay);
        body.end();
        return new HttpResponse(body.body);
      }
      const minutes = Number(url.searchParams.get('backfill_minutes') ?? 0);
      live = { body, next: firstFrom(at - minutes * 60_000) };
      return new HttpResponse(body.body);
    }),
  );
  return {
    arrivals,
    createdAt,
    /** Sends on the open connection, in one chunk, every post due by now (replays included), or the first `max`. */
    send(max = Number.POSITIVE_INFINITY): boolean {
      if (live === undefined || live.body.closed) return false;
      let chunk = '';
      for (let n = 0; n < max && createdAt(live.next) <= clock.now() - lagMs; n++) {
        chunk += postLine(live.next, createdAt(live.next));
        live.next++;
      }
      if (chunk === '') return false;
      live.body.push(chunk);
      return true;
    },
    /** Sends raw bytes (half a post) on the open connection. */
    push(bytes: string): void {
      live?.body.push(bytes);
    },
    /** Resets the open connection. */
    drop(): void {
      live?.body.fail();
    },
    delayNextRequest(): void {
      holdNext = true;
    },
    get waiting(): boolean {
      return held !== undefined;
    },
    /** The held request reaches X now. */
    arrive(): void {
      const release = held;
      held = undefined;
      release?.();
    },
  };
}

type X = ReturnType<typeof fakeX>;

/** A stream on `x` whose consumer may be held (`hold`) before it takes the next post. */
function consume(clock: ManualClock, options: StreamOptions) {
  const client = new StreamClient({ bearerToken: 't', clock, connectTimeoutMs: 120_000 });
  const stream = client.stream<StreamResponse>('filter', {}, { backfill: 'auto', ...options });
  const events = recordEvents(stream);
  const delivered: number[] = [];
  let gate: Promise<void> | undefined;
  let open: (() => void) | undefined;
  const done = (async () => {
    for await (const post of stream) {
      delivered.push(Number(post.data?.id));
      if (gate) await gate;
    }
  })();
  return {
    stream,
    events,
    delivered,
    done,
    hold(): void {
      gate = new Promise((resolve) => {
        open = resolve;
      });
    },
    release(): void {
      gate = undefined;
      open?.();
    },
  };
}

type Consumer = ReturnType<typeof consume>;

/** Advances time in `stepMs` steps up to `to`, X sending what is due after each, the client reading it at that time. */
async function run(clock: ManualClock, x: X, c: Consumer, to: number, stepMs = 1_000) {
  while (clock.now() < to) {
    await clock.advance(Math.min(stepMs, to - clock.now()));
    if (x.send()) {
      const now = clock.now();
      await until(() => c.stream.stats.lastByteAt === now, 'the client to read what X sent');
    }
  }
}

/** Follows the reconnect after a drop: its back-off (set by the policy hook) runs out, the request is on its way. */
async function reconnect(clock: ManualClock, c: Consumer, delayMs: number, count = 1) {
  await until(() => ofType(c.events, 'reconnecting').length === count, 'the reconnect');
  expect(ofType(c.events, 'reconnecting').at(-1)?.delayMs).toBe(delayMs);
  await until(() => clock.pendingDelays().includes(delayMs), 'the back-off timer');
  await clock.advance(delayMs);
}

/** Each post of the timeline up to the newest delivered, exactly once. */
function expectEachOnce(delivered: readonly number[]): void {
  const newest = Math.max(...delivered);
  const counts = new Map<number, number>();
  for (const n of delivered) counts.set(n, (counts.get(n) ?? 0) + 1);
  const missing: number[] = [];
  const twice: number[] = [];
  for (let n = 0; n <= newest; n++) {
    const count = counts.get(n) ?? 0;
    if (count === 0) missing.push(n);
    if (count > 1) twice.push(n);
  }
  expect(missing, 'posts lost').toEqual([]);
  expect(twice, 'posts delivered twice').toEqual([]);
}

describe('backfill edges against a fake X that counts backfill_minutes from when the request arrives', () => {
  test('an outage of 59.5 s, the request reaching X 1 s after the decision: no post lost', async () => {
    const clock = new ManualClock(T0);
    const x = fakeX(clock, { everyMs: 100, lagMs: 500 });
    const c = consume(clock, { policy: ({ attempt }) => (attempt === 1 ? 59_500 : undefined) });
    await until(() => x.arrivals.length === 1, 'the first connection');
    await run(clock, x, c, T0 + 30_000);
    x.drop();
    x.delayNextRequest();
    await reconnect(clock, c, 59_500);
    await until(() => x.waiting, 'the request on its way');
    await clock.advance(1_000);
    x.arrive();
    await until(() => x.arrivals.length === 2, 'the reconnect to reach X');
    await run(clock, x, c, clock.now() + 5_000);
    await c.stream.close();
    await c.done;
    expectEachOnce(c.delivered);
    expect(c.delivered.length).toBeGreaterThan(900);
    // Sized from the outage alone (59.5 s: 1 minute), X would replay from 30.5 s after the start:
    // the posts created in the last half second before the drop, not yet sent, would be lost.
    expect(x.arrivals[1]?.url.searchParams.get('backfill_minutes')).toBe('2');
    expect(ofType(c.events, 'backfill')).toEqual([
      { type: 'backfill', minutes: 2, outageMs: 59_500, exceedsWindow: false },
    ]);
  });

  test('X delivering 25 s late: the lag measured on the live stream widens the backfill', async () => {
    const clock = new ManualClock(T0);
    const x = fakeX(clock, { everyMs: 500, lagMs: 25_000 });
    const c = consume(clock, { policy: ({ attempt }) => (attempt === 1 ? 40_000 : undefined) });
    await until(() => x.arrivals.length === 1, 'the first connection');
    await run(clock, x, c, T0 + 60_000);
    x.drop();
    await reconnect(clock, c, 40_000);
    await until(() => x.arrivals.length === 2, 'the reconnect to reach X');
    await run(clock, x, c, clock.now() + 40_000);
    await c.stream.close();
    await c.done;
    expectEachOnce(c.delivered);
    // 40 s of outage and the fixed margins fit in 1 minute, which would start the replay
    // 40 s after the start: the 5 s of posts created after 35 s, never sent, would be lost.
    expect(x.arrivals[1]?.url.searchParams.get('backfill_minutes')).toBe('2');
  });

  test('a consumer slow with the posts of one read: coverage is when they were read, not when it got to them', async () => {
    const clock = new ManualClock(T0);
    const x = fakeX(clock, { everyMs: 1_000, lagMs: 0 });
    const c = consume(clock, { policy: ({ attempt }) => (attempt === 1 ? 50_000 : undefined) });
    await until(() => x.arrivals.length === 1, 'the first connection');
    // Ten posts come in one read at +10 s; the consumer spends 30 s on the first.
    c.hold();
    await clock.advance(10_000);
    x.send();
    await until(() => c.delivered.length === 1, 'the first post');
    await clock.advance(30_000);
    c.release();
    await until(() => c.delivered.length === 11, 'the rest of the read');
    // X's posts since then never arrive: the connection drops.
    x.drop();
    await reconnect(clock, c, 50_000);
    await until(() => x.arrivals.length === 2, 'the reconnect to reach X');
    await run(clock, x, c, clock.now() + 5_000);
    await c.stream.close();
    await c.done;
    expectEachOnce(c.delivered);
    // Counted from when the consumer got to the last post (+40 s), 50 s of outage fit in 1
    // minute: the replay would start at +30 s, after the posts created since +11 s.
    expect(x.arrivals[1]?.url.searchParams.get('backfill_minutes')).toBe('2');
  });

  test('half a post before a reset is not what was received: coverage ends at the last complete frame', async () => {
    const clock = new ManualClock(T0);
    const x = fakeX(clock, { everyMs: 1_000, lagMs: 0 });
    const c = consume(clock, { policy: ({ attempt }) => (attempt === 1 ? 40_000 : undefined) });
    await until(() => x.arrivals.length === 1, 'the first connection');
    await run(clock, x, c, T0 + 30_000);
    // Nothing complete for 25 s, then the first half of the next post, and a reset.
    await clock.advance(25_000);
    x.push(postLine(31, x.createdAt(31)).slice(0, 40));
    const now = clock.now();
    await until(() => c.stream.stats.lastByteAt === now, 'the half post');
    x.drop();
    await reconnect(clock, c, 40_000);
    await until(() => x.arrivals.length === 2, 'the reconnect to reach X');
    await run(clock, x, c, clock.now() + 5_000);
    await c.stream.close();
    await c.done;
    expectEachOnce(c.delivered);
    // From the half post's bytes (+55 s), 40 s of outage fit in 1 minute: the replay would
    // start at +35 s, after the posts created since +31 s.
    expect(x.arrivals[1]?.url.searchParams.get('backfill_minutes')).toBe('2');
  });

  test('a request up later than the margin allows (a slow connect): flagged, and recovered with recoverGaps', async () => {
    const clock = new ManualClock(T0);
    const x = fakeX(clock, { everyMs: 500, lagMs: 0 });
    const c = consume(clock, {
      recoverGaps: true,
      policy: ({ attempt }) => (attempt === 1 ? 30_000 : undefined),
    });
    await until(() => x.arrivals.length === 1, 'the first connection');
    await run(clock, x, c, T0 + 60_000);
    x.drop();
    x.delayNextRequest();
    await reconnect(clock, c, 30_000);
    await until(() => x.waiting, 'the request on its way');
    // 45 s on its way: X's minute starts 15 s after the drop.
    await clock.advance(45_000);
    x.arrive();
    // Up: the backfill is announced, and any recovery starts with it; wait for those to end.
    await until(() => ofType(c.events, 'backfill').length === 1, 'the reconnect to be up');
    const recovery = () => ofType(c.events, 'recovery') as RecoveryEvent[];
    const started = recovery().filter((r) => r.phase === 'started').length;
    await until(
      () => recovery().filter((r) => r.phase !== 'started').length === started,
      'the recoveries to end',
    );
    await run(clock, x, c, clock.now() + 5_000);
    await c.stream.close();
    await c.done;
    expectEachOnce(c.delivered);
    expect(ofType(c.events, 'backfill') as BackfillEvent[]).toEqual([
      { type: 'backfill', minutes: 1, outageMs: 30_000, exceedsWindow: true },
    ]);
    expect(recovery().map((r) => r.phase)).toEqual(['started', 'completed']);
  });

  test('a replay that takes 10 minutes to come through: no post delivered twice, however long after its first delivery it comes back', async () => {
    const clock = new ManualClock(T0);
    const x = fakeX(clock, { everyMs: 1_000, lagMs: 0 });
    const c = consume(clock, { policy: ({ attempt }) => (attempt === 1 ? 0 : undefined) });
    await until(() => x.arrivals.length === 1, 'the first connection');
    await run(clock, x, c, T0 + 5 * 60_000);
    x.drop();
    await until(() => x.arrivals.length === 2, 'the reconnect to reach X');
    expect(x.arrivals[1]?.url.searchParams.get('backfill_minutes')).toBe('1');
    // The minute replayed (60 posts, each delivered once already) trickles in, one every 10 s
    // (a slow link, a client busy parsing): the last come back 10 minutes after their first
    // delivery, past dedupe's 6 minutes.
    for (let i = 0; i < 60; i++) {
      await clock.advance(10_000);
      x.send(1);
      const now = clock.now();
      await until(() => c.stream.stats.lastByteAt === now, 'the client to read the replayed post');
    }
    await run(clock, x, c, clock.now() + 5_000);
    await c.stream.close();
    await c.done;
    expectEachOnce(c.delivered);
    expect(c.stream.stats.duplicates).toBeGreaterThanOrEqual(60);
  });
});
