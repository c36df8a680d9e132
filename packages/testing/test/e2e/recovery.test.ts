import { type RecoveryEvent, StreamClient, type StreamLifecycleEvent } from '@birdstream/core';
import { RECOVERY_MARGIN_MS as M } from '@birdstream/core/internal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConnectionStats,
  EMULATOR_TOPICS,
  type Emulator,
  type EmulatorOptions,
  startEmulator,
} from '../../src/index.js';
import { snowflakeTime } from '../../src/traffic/snowflake.js';
import { rawRequest, STREAM } from '../helpers/raw-stream.js';
import { untilClosed } from './harness.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
/** A rule that matches a post of every topic. */
const BROAD_RULE = Object.values(EMULATOR_TOPICS)
  .map((t) => t.keywords[0])
  .join(' OR ');

function start(options: EmulatorOptions): Promise<Emulator> {
  return startEmulator({ rules: [{ value: BROAD_RULE, tag: 'all' }], ...options });
}

/** X's `start_time`/`end_time` format. */
const iso = (ms: number) => new Date(ms).toISOString().replace('.000', '');
const floorSecond = (ms: number) => Math.floor(ms / 1000) * 1000;
const ceilSecond = (ms: number) => Math.ceil(ms / 1000) * 1000;

interface OutageRun {
  delivered: string[];
  events: StreamLifecycleEvent[];
  error: unknown;
  /** Emulated time the client saw the first connection end (its `disconnected` event). */
  disconnectSeenAt: number;
}

/**
 * Runs core's StreamClient on the filtered stream in the emulator's time
 * (`backfill: 'auto'`, `recoverGaps`, dedupe on). The first connection is
 * reset after `afterPosts` posts, and from that moment the stream is down
 * for `outageMs` (every reconnect gets a 503, whatever the back-off). The
 * consumer stops once every recovery job has ended and a live post created
 * `settleMs` after the reconnect has been delivered.
 */
async function runOutage(
  e: Emulator,
  {
    afterPosts,
    outageMs,
    settleMs,
    giveUpMs,
    slowTo,
  }: {
    afterPosts: number;
    outageMs: number;
    settleMs: number;
    /** Emulated ms after the reconnect at which the consumer stops anyway (for clear failures, not a hang). */
    giveUpMs: number;
    /**
     * Once the live stream is accepted again, slow emulated time to this
     * speed: at a speed that skips 30 hours in seconds, the few real
     * milliseconds before the recovery request arrives would be minutes.
     */
    slowTo?: number;
  },
): Promise<OutageRun> {
  if (slowTo !== undefined) {
    let live = 0;
    const offConnected = e.on('connected', () => {
      if (++live < 2) return;
      offConnected();
      e.setTimeScale(slowTo);
    });
  }
  e.inject({ type: 'destroy', afterPosts });
  const off = e.on('disconnected', () => {
    off();
    e.inject({ type: 'outage', ms: outageMs, status: 503 });
  });
  const client = new StreamClient({
    bearerToken: 'e2e-token',
    baseUrl: e.url,
    clock: e.clock,
    // Emulated time runs hundreds of times faster than real time: real delays on a
    // loaded machine must not turn into timeouts or stalls the test did not ask for.
    connectTimeoutMs: 24 * HOUR,
  });
  const stream = client.filter(
    { expansions: ['author_id'], 'tweet.fields': ['created_at'] },
    { backfill: 'auto', recoverGaps: true, stallTimeoutMs: 24 * HOUR },
  );
  const events: StreamLifecycleEvent[] = [];
  for (const type of [
    'connected',
    'disconnected',
    'reconnecting',
    'backfill',
    'recovery',
    'duplicate',
    'stalled',
    'payload-invalid',
    'error',
  ] as const) {
    stream.on(type, (event) => events.push(event));
  }
  let disconnectSeenAt = Number.NaN;
  const offDisconnected = stream.on('disconnected', () => {
    offDisconnected();
    disconnectSeenAt = e.clock.now();
  });
  const recoveries = () => events.filter((ev): ev is RecoveryEvent => ev.type === 'recovery');
  const delivered: string[] = [];
  let error: unknown;
  try {
    for await (const response of stream) {
      delivered.push(response.data.id);
      const reopened = e.stats().connections.filter((c) => c.recovery === undefined)[1];
      if (reopened === undefined) continue;
      if (e.clock.now() > reopened.openedAt + giveUpMs) break;
      const started = recoveries().filter((r) => r.phase === 'started').length;
      const ended = recoveries().filter((r) => r.phase === 'completed' || r.phase === 'failed');
      // Recovered posts are handed over between live ones: a live post delivered after the
      // last job ended means none is still waiting in the client.
      if (
        started > 0 &&
        ended.length === started &&
        snowflakeTime(response.data.id) >= reopened.openedAt + settleMs
      )
        break;
    }
  } catch (err) {
    error = err;
  }
  await stream.close();
  await untilClosed(e);
  return { delivered, events, error, disconnectSeenAt };
}

/** Every post matching the rules created in [from, to) (whole seconds), asked of the emulator with a raw recovery request. */
async function oracle(e: Emulator, from: number, to: number): Promise<string[]> {
  const res = await rawRequest(e.url, `${STREAM}?start_time=${iso(from)}&end_time=${iso(to)}`);
  expect(res.status).toBe(200);
  expect(await res.closed(10_000)).toBe('end');
  return res.postIds();
}

const times = (ids: readonly string[]) => ids.map(snowflakeTime);

const recoveryEvents = (run: OutageRun) =>
  run.events.filter((ev): ev is RecoveryEvent => ev.type === 'recovery');

describe('a 10-minute outage with recoverGaps, against the emulator', () => {
  let e: Emulator;
  let run: OutageRun;
  let stats: ReturnType<Emulator['stats']>;
  let first: ConnectionStats;
  let reopened: ConnectionStats;
  let job: ConnectionStats;
  /** Every post of the run matching the rules, from a raw recovery request: the ground truth. */
  let truth: string[];
  let lost: string[];

  beforeAll(async () => {
    // 10 emulated minutes in 1.5 real seconds.
    e = await start({ seed: 'recovery-10m', rate: 2, timeScale: 400 });
    run = await runOutage(e, {
      afterPosts: 20,
      outageMs: 10 * MIN,
      settleMs: 30_000,
      giveUpMs: 30 * MIN,
    });
    stats = e.stats();
    const live = stats.connections.filter((c) => c.recovery === undefined);
    expect(live).toHaveLength(2);
    [first, reopened] = live as [ConnectionStats, ConnectionStats];
    const jobs = stats.connections.filter((c) => c.recovery !== undefined);
    expect(jobs).toHaveLength(1);
    job = jobs[0] as ConnectionStats;
    // From the first connect to the newest post delivered live, in X's whole seconds: every
    // post created in it was due before the consumer stopped.
    const from = ceilSecond(first.openedAt);
    const to = floorSecond(Math.max(...times(run.delivered)));
    expect(to - from).toBeGreaterThan(11 * MIN);
    truth = await oracle(e, from, to);
    const got = new Set(run.delivered);
    lost = truth.filter((id) => !got.has(id));
  }, 60_000);
  afterAll(() => e?.close());

  it('the outage was real: the connection was reset, and every reconnect for 10 emulated minutes got a 503', () => {
    expect(run.error).toBeUndefined();
    expect(first.closedBy).toBe('destroy');
    const refused = stats.rejected.filter((r) => r.status === 503 && r.injected);
    expect(refused.length).toBeGreaterThanOrEqual(5);
    expect(reopened.openedAt - (first.closedAt as number)).toBeGreaterThan(10 * MIN);
    expect(stats.rejected.filter((r) => !r.injected)).toEqual([]);
    expect(stats.maxConcurrentConnections).toBe(1);
    expect(
      run.events.filter((ev) => ev.type === 'stalled' || ev.type === 'payload-invalid'),
    ).toEqual([]);
  });

  it('backfill replays the last 5 minutes, one recovery job (started → completed) the part before', () => {
    // Announced once, by the attempt that connected (the refused ones before it announce nothing).
    const backfills = run.events.filter((ev) => ev.type === 'backfill');
    expect(backfills).toHaveLength(1);
    const backfill = backfills.at(-1);
    expect(backfill).toMatchObject({ minutes: 5, exceedsWindow: true });
    expect((backfill as { outageMs: number }).outageMs).toBeGreaterThan(10 * MIN);
    expect(reopened.backfillMinutes).toBe(5);
    const backfillFrom = reopened.openedAt - 5 * MIN;
    expect(reopened.backfilledIds.length).toBeGreaterThan(50);
    for (const t of times(reopened.backfilledIds)) {
      expect(t).toBeGreaterThanOrEqual(backfillFrom);
      expect(t).toBeLessThan(reopened.openedAt);
    }

    const recovery = recoveryEvents(run);
    const started = recovery.filter((r) => r.phase === 'started');
    const completed = recovery.filter((r) => r.phase === 'completed');
    expect(completed).toHaveLength(1);
    const done = completed[0] as RecoveryEvent;
    expect(recovery.at(-1)).toBe(done);
    expect(started.at(-1)).toMatchObject({ startTime: done.startTime, endTime: done.endTime });
    expect(done.posts).toBeGreaterThan(50);
    // The window: from a margin before the last byte before the reset to a margin past where
    // the backfill begins (core's RECOVERY_MARGIN_MS), so nothing falls between them.
    const lastSent = Math.max(...times(first.postIds));
    expect(done.startTime + M).toBeGreaterThan(lastSent);
    expect(done.startTime + M).toBeLessThanOrEqual(run.disconnectSeenAt);
    expect(done.startTime).toBeLessThan(lastSent);
    expect(done.endTime).toBeGreaterThan(reopened.openedAt - 5 * MIN);
    expect(done.endTime - done.startTime).toBeGreaterThan(5 * MIN);
    expect(job.recovery).toEqual({
      start: floorSecond(done.startTime),
      end: ceilSecond(done.endTime),
    });
    expect(job.closedBy).toBe('recovery-complete');
    expect(job.postIds).toHaveLength(done.posts as number);
    for (const t of times(job.postIds)) {
      expect(t).toBeGreaterThanOrEqual(job.recovery?.start as number);
      expect(t).toBeLessThan(job.recovery?.end as number);
    }
    expect(stats.maxConcurrentRecoveries).toBe(1);
    // Planned once, when the live stream was back: no job per failed attempt of the outage.
    expect(recovery.map((r) => r.phase)).toEqual(['started', 'completed']);
  });

  it('0 duplicates, and every post delivered is one of the run (a raw start_time/end_time request as the oracle)', () => {
    expect(new Set(run.delivered).size, 'a post was delivered twice').toBe(run.delivered.length);
    const truthSet = new Set(truth);
    const from = ceilSecond(first.openedAt);
    const extra = run.delivered.filter((id) => snowflakeTime(id) >= from && !truthSet.has(id));
    // (The newest posts, after the oracle's end, are the only ones it cannot vouch for.)
    const to = floorSecond(Math.max(...times(run.delivered)));
    expect(
      extra.filter((id) => snowflakeTime(id) < to),
      'posts the run never had',
    ).toEqual([]);
    // The recovery reaches a margin before the gap, so it may replay posts from before the first
    // connect (real posts, delivered once): nothing older than that.
    expect(Math.min(...times(run.delivered))).toBeGreaterThanOrEqual(
      floorSecond(first.openedAt) - M,
    );
    expect(truth.length).toBeGreaterThan(300);
  });

  // The recovery window overlaps both junctions by core's RECOVERY_MARGIN_MS: posts X created
  // just before the client's last byte but had not sent, and posts created during the
  // reconnect's latency (X counts backfill_minutes from when the request reaches it), are in it;
  // dedupe holds the keys delivered before the outage until the job's posts are checked.
  it('0 lost: the recovery window meets the backfill and the last connection, with no gap', () => {
    const backfillFrom = reopened.openedAt - 5 * MIN;
    expect(
      job.recovery?.end,
      'a gap between the recovery window and the backfill',
    ).toBeGreaterThanOrEqual(backfillFrom);
    expect(lost, 'posts of the run the client never delivered').toEqual([]);
  });
});

describe("an outage beyond X's 24-hour recovery limit", () => {
  let e: Emulator;
  let run: OutageRun;
  let first: ConnectionStats;
  let reopened: ConnectionStats;

  beforeAll(async () => {
    // 30 emulated hours in about two real seconds; a post every 50 s keeps the day small.
    // (At ×50,000 a real millisecond is 50 emulated seconds: the bounds below allow an hour.)
    e = await start({ seed: 'recovery-30h', rate: 0.02, timeScale: 50_000, keepAliveMs: 10 * MIN });
    run = await runOutage(e, {
      afterPosts: 5,
      outageMs: 30 * HOUR,
      settleMs: 2 * MIN,
      giveUpMs: 12 * HOUR,
      // ×100 once the stream is back: the recovery request's real latency is a few emulated seconds.
      slowTo: 100,
    });
    const live = e.stats().connections.filter((c) => c.recovery === undefined);
    expect(live).toHaveLength(2);
    [first, reopened] = live as [ConnectionStats, ConnectionStats];
  }, 60_000);
  afterAll(() => e?.close());

  it('says which range is lost (older than 24 h) as `unrecoverable`, and asks for the rest; never silent', () => {
    expect(run.error).toBeUndefined();
    expect(reopened.openedAt - (first.closedAt as number)).toBeGreaterThan(30 * HOUR);
    const recovery = recoveryEvents(run);
    const unrecoverable = recovery.filter((r) => r.phase === 'unrecoverable');
    // Said once, when the stream was back (not at every failed attempt of the outage).
    expect(recovery.map((r) => r.phase)).toEqual(['unrecoverable', 'started', 'completed']);
    // The last attempt's account: lost from the gap's start up to 24 h before the reconnect,
    // and that horizon is where the recovery window of the rest begins.
    const lostRange = unrecoverable.at(-1) as RecoveryEvent;
    const lastStarted = recovery.filter((r) => r.phase === 'started').at(-1) as RecoveryEvent;
    expect(lastStarted.startTime).toBe(lostRange.endTime);
    // It starts where the client's coverage ended: after the last post it got, no later than
    // when it saw the connection drop.
    expect(lostRange.startTime).toBeGreaterThan(Math.max(...times(first.postIds)));
    expect(lostRange.startTime).toBeLessThanOrEqual(run.disconnectSeenAt);
    // A margin inside X's 24 hours, so the request is still within them when it arrives.
    expect(lostRange.endTime).toBeGreaterThanOrEqual(reopened.openedAt - 24 * HOUR + M);
    expect(lostRange.endTime).toBeLessThan(reopened.openedAt - 24 * HOUR + M + MIN);
    expect(lostRange.endTime - lostRange.startTime).toBeGreaterThan(4 * HOUR);
    expect(lastStarted.endTime - lastStarted.startTime).toBeGreaterThan(23 * HOUR);
    // Every job that started ended one way or the other, and said so.
    const starts = recovery.filter((r) => r.phase === 'started').length;
    const ends = recovery.filter((r) => r.phase === 'completed' || r.phase === 'failed').length;
    expect(ends).toBe(starts);
  });

  // The window of what is still recoverable starts a margin (core's RECOVERY_MARGIN_MS) inside
  // X's 24 hours: by the time the request reaches X, its start_time is still within them.
  it('recovers the last 24 hours: the job asking for them completes', () => {
    const recovery = recoveryEvents(run);
    expect(recovery.at(-1)).toMatchObject({ phase: 'completed' });
    expect(e.stats().rejected.filter((r) => r.status === 400)).toEqual([]);
  });
});
