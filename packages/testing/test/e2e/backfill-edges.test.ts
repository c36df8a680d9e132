/**
 * The edges of a reconnect's backfill, end to end: core's StreamClient
 * against the emulator, which counts `backfill_minutes` back from when a
 * request reaches it, as X does. A `latency` fault holds the reconnect on
 * its way for a fixed span of emulated time, and the drop is pinned to a post
 * (`atPost`), so each run meets the same edge on any machine: a busy machine
 * only adds latency, which the client measures (it judges its backfill from
 * when the connection came up). Each run asserts every post the emulator had
 * for the rules, from the first connection to the newest delivered, exactly
 * once (a raw `start_time`/`end_time` request is the oracle).
 */
import { type RecoveryEvent, StreamClient, type StreamLifecycleEvent } from '@birdstream/core';
import { afterEach, describe, expect, test } from 'vitest';
import {
  type ConnectionStats,
  EMULATOR_TOPICS,
  type Emulator,
  type Fault,
  startEmulator,
} from '../../src/index.js';
import { snowflakeTime } from '../../src/traffic/snowflake.js';
import { rawRequest, STREAM } from '../helpers/raw-stream.js';
import { untilClosed } from './harness.js';

const HOUR = 3_600_000;
/** A rule that matches a post of every topic. */
const BROAD_RULE = Object.values(EMULATOR_TOPICS)
  .map((t) => t.keywords[0])
  .join(' OR ');
/** The item the first connection drops after (a second of posts at 20/s is 20 items). */
const DROP_AT = 200;

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const ceilSecond = (ms: number) => Math.ceil(ms / 1000) * 1000;
const floorSecond = (ms: number) => Math.floor(ms / 1000) * 1000;

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

interface EdgeRun {
  delivered: string[];
  events: StreamLifecycleEvent[];
  error: unknown;
  first: ConnectionStats;
  reopened: ConnectionStats;
  /** Every post of the rules from the first connection to the newest delivered (whole seconds). */
  truth: string[];
}

/**
 * The first connection is reset at item `DROP_AT`; the reconnect waits
 * `outageMs` from the client's last byte (the policy hook), then takes
 * `latencyMs` of emulated time to reach the emulator. The consumer stops once
 * the recoveries it started have ended and a live post created 5 s after the
 * reconnect has been delivered.
 */
async function runEdge(
  seed: string,
  {
    outageMs,
    latencyMs,
    recoverGaps,
    timeScale,
  }: { outageMs: number; latencyMs: number; recoverGaps: boolean; timeScale: number },
): Promise<EdgeRun> {
  const faults: (Fault & { atPost: number })[] = [
    { type: 'destroy', atPost: DROP_AT },
    { type: 'latency', ms: latencyMs, atPost: DROP_AT },
  ];
  const e = await startEmulator({
    seed,
    rate: 20,
    timeScale,
    rules: [{ value: BROAD_RULE, tag: 'all' }],
    faults,
  });
  emu = e;
  const client = new StreamClient({
    bearerToken: 'e2e-token',
    baseUrl: e.url,
    clock: e.clock,
    // Emulated time runs faster than real time: a busy machine's real delays must not turn into
    // timeouts or stalls the test did not ask for.
    connectTimeoutMs: 24 * HOUR,
  });
  let lastByteAt = (): number | undefined => undefined;
  const stream = client.filter(
    { 'tweet.fields': ['created_at'] },
    {
      backfill: 'auto',
      recoverGaps,
      stallTimeoutMs: 24 * HOUR,
      // The first reconnect comes `outageMs` after the last byte received, however long the
      // client took to see the reset.
      policy: ({ attempt }) =>
        attempt === 1
          ? Math.max(0, outageMs - (e.clock.now() - (lastByteAt() ?? e.clock.now())))
          : undefined,
    },
  );
  lastByteAt = () => stream.stats.lastByteAt;
  const events: StreamLifecycleEvent[] = [];
  for (const type of [
    'connected',
    'disconnected',
    'reconnecting',
    'backfill',
    'recovery',
    'payload-invalid',
  ] as const) {
    stream.on(type, (event) => events.push(event));
  }
  const recoveries = () => events.filter((ev): ev is RecoveryEvent => ev.type === 'recovery');
  const delivered: string[] = [];
  let error: unknown;
  try {
    for await (const response of stream) {
      delivered.push(response.data.id);
      const reopened = e.stats().connections.filter((c) => c.recovery === undefined)[1];
      if (reopened === undefined || !events.some((ev) => ev.type === 'backfill')) continue;
      const started = recoveries().filter((r) => r.phase === 'started').length;
      const ended = recoveries().filter((r) => r.phase === 'completed' || r.phase === 'failed');
      // Recovered posts are handed over between live ones: a live post delivered after the
      // last job ended means none is still waiting in the client.
      if (
        ended.length === started &&
        (snowflakeTime(response.data.id) as number) >= reopened.openedAt + 5_000
      )
        break;
    }
  } catch (err) {
    error = err;
  }
  await stream.close();
  await untilClosed(e);
  const live = e.stats().connections.filter((c) => c.recovery === undefined);
  expect(live).toHaveLength(2);
  const [first, reopened] = live as [ConnectionStats, ConnectionStats];
  const from = ceilSecond(first.openedAt);
  const to = floorSecond(Math.max(...delivered.map((id) => snowflakeTime(id) as number)));
  const oracle = await rawRequest(e.url, `${STREAM}?start_time=${iso(from)}&end_time=${iso(to)}`);
  expect(oracle.status).toBe(200);
  expect(await oracle.closed()).toBe('end');
  return { delivered, events, error, first, reopened, truth: oracle.postIds() };
}

/** Every post of the oracle delivered, none twice. */
function expectEachOnce(run: EdgeRun): void {
  expect(run.error).toBeUndefined();
  const got = new Set(run.delivered);
  expect(
    run.truth.filter((id) => !got.has(id)),
    'posts of the run the client never delivered',
  ).toEqual([]);
  expect(run.delivered.length - got.size, 'posts delivered twice').toBe(0);
  expect(run.truth.length).toBeGreaterThan(DROP_AT);
}

describe('a reconnect that reaches the emulator late (a latency fault pinned to the drop)', () => {
  // ×10: 2 minutes of backfill leave 45 emulated seconds for what a busy machine adds (the lag
  // it measures before the drop, the request's real way): 4.5 real seconds.
  test('an outage of 59.5 s, the request 5 s on its way: its backfill still reaches back past the drop', async () => {
    const run = await runEdge('edge-59s', {
      outageMs: 59_500,
      latencyMs: 5_000,
      recoverGaps: false,
      timeScale: 10,
    });
    expectEachOnce(run);
    // The request arrived at least 64.5 s after the last byte of the first connection: sized
    // from the outage alone (1 minute), X's minute would have started after the drop.
    expect(run.reopened.openedAt - (run.first.closedAt as number)).toBeGreaterThanOrEqual(64_500);
    expect(run.reopened.backfillMinutes).toBe(2);
    const backfill = run.events.filter((ev) => ev.type === 'backfill');
    expect(backfill).toEqual([expect.objectContaining({ minutes: 2, exceedsWindow: false })]);
    expect(run.events.filter((ev) => ev.type === 'payload-invalid')).toEqual([]);
  }, 60_000);

  // A reconnect at once, 150 s on its way: its backfill (1 or 2 minutes, whatever lag a busy
  // machine adds up to 100 emulated seconds) cannot reach back to the drop.
  test('the request 150 s on its way, past any margin: the backfill is flagged short and recoverGaps recovers the rest', async () => {
    const run = await runEdge('edge-late', {
      outageMs: 0,
      latencyMs: 150_000,
      recoverGaps: true,
      timeScale: 20,
    });
    expectEachOnce(run);
    expect(run.reopened.openedAt - (run.first.closedAt as number)).toBeGreaterThanOrEqual(150_000);
    const backfill = run.events.filter((ev) => ev.type === 'backfill');
    expect(backfill).toEqual([expect.objectContaining({ exceedsWindow: true })]);
    const recovery = run.events.filter((ev): ev is RecoveryEvent => ev.type === 'recovery');
    expect(recovery.map((r) => r.phase)).toEqual(['started', 'completed']);
    // The window reaches from before the drop to past where the backfill, counted from the
    // late arrival, begins.
    const [started] = recovery;
    const lastSent = Math.max(...run.first.postIds.map((id) => snowflakeTime(id) as number));
    expect(started?.startTime).toBeLessThan(lastSent);
    expect(started?.endTime).toBeGreaterThanOrEqual(
      run.reopened.openedAt - (run.reopened.backfillMinutes as number) * 60_000,
    );
  }, 60_000);
});
