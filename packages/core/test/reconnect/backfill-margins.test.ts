import { ConnectionError } from '@birdstream/core';
import {
  BACKFILL_MARGIN_MS,
  BACKFILL_WINDOW_MS,
  backfillFor,
  backfillReaches,
  DELIVERY_LAG_MARGIN_MS,
  deliveryLagMargin,
  RECOVERY_MARGIN_MS as M,
  REQUEST_ARRIVAL_MARGIN_MS,
  StreamSupervisor,
  type SupervisorConfig,
  type SupervisorResult,
} from '@birdstream/core/internal';
import { describe, expect, test } from 'vitest';

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 3, 12);

const config = (overrides: Partial<SupervisorConfig> = {}): SupervisorConfig => ({
  maxRetries: Number.POSITIVE_INFINITY,
  healthyAfterMs: 30_000,
  backfill: 'auto',
  ...overrides,
});

/**
 * A connection up at T0 whose last frame was read at `lastFrame` (carrying
 * an item created at `itemAt`, when given), then dropped.
 */
function droppedAfter(s: StreamSupervisor, lastFrame: number, itemAt?: number): void {
  s.dispatch({ type: 'connect', at: T0 });
  s.dispatch({ type: 'connected', at: T0 });
  s.dispatch({ type: 'activity', at: lastFrame });
  if (itemAt !== undefined) s.dispatch({ type: 'activity', at: lastFrame, itemAt });
  s.dispatch({ type: 'failure', error: new ConnectionError('reset'), at: lastFrame });
}

/** The `backfill_minutes` a connect decision asked for. */
function minutesOf(result: SupervisorResult): number {
  if (result.decision.type !== 'connect' || result.decision.backfillMinutes === undefined) {
    throw new Error(`no backfill in ${JSON.stringify(result.decision)}`);
  }
  return result.decision.backfillMinutes;
}

/** Where X's replay starts: it counts `backfill_minutes` back from when the request reached it. */
const replayFrom = (arrival: number, minutes: number) => arrival - minutes * MIN;

describe('the backfill margins (backfill.ts)', () => {
  test('20 s with no lag measured: 10 s of delivery lag before the drop, 10 s until the request reaches X', () => {
    expect(DELIVERY_LAG_MARGIN_MS).toBe(10_000);
    expect(REQUEST_ARRIVAL_MARGIN_MS).toBe(10_000);
    expect(BACKFILL_MARGIN_MS).toBe(20_000);
    expect(deliveryLagMargin(undefined)).toBe(10_000);
    expect(deliveryLagMargin(25_000)).toBe(35_000);
    // Our clock behind X's: no lag, the floor stays.
    expect(deliveryLagMargin(-3_000)).toBe(10_000);
    // Longer than any backfill could cover: not delivery lag (an old item, a fixture).
    expect(deliveryLagMargin(BACKFILL_WINDOW_MS + 1)).toBe(10_000);
    expect(deliveryLagMargin(Number.NaN)).toBe(10_000);
  });

  test.each([
    // [outage from the last frame, minutes, exceedsWindow]
    [0, 1, false],
    [40_000, 1, false],
    [40_001, 2, false],
    [59_500, 2, false],
    [100_000, 2, false],
    [100_001, 3, false],
    [280_000, 5, false],
    [280_001, 5, true],
    [300_000, 5, true],
  ])(
    "'auto' after an outage of %i ms asks for %i minutes (exceedsWindow %s)",
    (outage, minutes, exceeds) => {
      const needFrom = T0 - DELIVERY_LAG_MARGIN_MS;
      expect(backfillFor('auto', T0 + outage, needFrom)).toEqual({
        minutes,
        exceedsWindow: exceeds,
      });
    },
  );

  test('a fixed setting asks for its minutes, and says when they cannot reach back', () => {
    const needFrom = T0 - DELIVERY_LAG_MARGIN_MS;
    expect(backfillFor(2, T0 + 30_000, needFrom)).toEqual({ minutes: 2, exceedsWindow: false });
    expect(backfillFor(1, T0 + 3 * MIN, needFrom)).toEqual({ minutes: 1, exceedsWindow: true });
  });

  test('backfillReaches: judged from when the connection came up, the latest the request can have reached X', () => {
    expect(backfillReaches(T0 + 50_000, 1, T0 - 10_000)).toBe(true);
    expect(backfillReaches(T0 + 50_001, 1, T0 - 10_000)).toBe(false);
  });
});

describe('StreamSupervisor: no post falls between the drop and the backfill', () => {
  test('an outage of 59.5 s whose request reaches X 1 s later: the replay still reaches back past the last item received', () => {
    const s = new StreamSupervisor(config());
    // The last frame read 30 s in, carrying a post created 200 ms before.
    droppedAfter(s, T0 + 30_000, T0 + 29_800);
    const decidedAt = T0 + 30_000 + 59_500;
    const connect = s.dispatch({ type: 'connect', at: decidedAt });
    const minutes = minutesOf(connect);
    // Whole minutes from the outage alone (the sizing before the margins) were 1: X, counting
    // from 1 s later, would have started its replay 700 ms after the newest post received.
    expect(replayFrom(decidedAt + 1_000, 1)).toBeGreaterThan(T0 + 29_800);
    expect(minutes).toBe(2);
    const arrival = decidedAt + 1_000;
    expect(replayFrom(arrival, minutes)).toBeLessThanOrEqual(T0 + 29_800 - DELIVERY_LAG_MARGIN_MS);
    // Up when it arrived: nothing flagged, nothing to recover.
    const up = s.dispatch({ type: 'connected', at: arrival });
    expect(up.events).toEqual([
      { type: 'backfill', minutes: 2, outageMs: 59_500, exceedsWindow: false },
    ]);
  });

  test('the delivery lag measured on the live stream widens the backfill', () => {
    const s = new StreamSupervisor(config());
    // X delivers 25 s late: the newest post read at +100 s was created at +75 s.
    droppedAfter(s, T0 + 100_000, T0 + 75_000);
    expect(s.state.deliveryLagMs).toBe(25_000);
    const decidedAt = T0 + 140_000;
    const minutes = minutesOf(s.dispatch({ type: 'connect', at: decidedAt }));
    // From the outage and the fixed margins alone, 1 minute: the replay would start after
    // +75 s, and the posts X created since then, which it had not sent, would be lost.
    expect(replayFrom(decidedAt, 1)).toBeGreaterThan(T0 + 75_000);
    expect(minutes).toBe(2);
    expect(replayFrom(decidedAt + REQUEST_ARRIVAL_MARGIN_MS, minutes)).toBeLessThanOrEqual(
      T0 + 75_000,
    );
  });

  test('only the newest item measures the lag: a straggler does not', () => {
    const s = new StreamSupervisor(config());
    s.dispatch({ type: 'connect', at: T0 });
    s.dispatch({ type: 'connected', at: T0 });
    s.dispatch({ type: 'activity', at: T0 + 10_000, itemAt: T0 + 8_000 });
    s.dispatch({ type: 'activity', at: T0 + 10_500, itemAt: T0 + 10_000 - 4 * MIN });
    expect(s.state.deliveryLagMs).toBe(2_000);
  });

  test('an item dated long before it came (an old post) is not taken for delivery lag', () => {
    const s = new StreamSupervisor(config());
    droppedAfter(s, T0 + 50_000, Date.UTC(2021, 3, 1));
    expect(minutesOf(s.dispatch({ type: 'connect', at: T0 + 80_000 }))).toBe(1);
  });

  test('items of a replay measure no lag (they are old on purpose); the first live one does', () => {
    const s = new StreamSupervisor(config());
    droppedAfter(s, T0 + 10_000);
    s.dispatch({ type: 'connect', at: T0 + 20_000 });
    s.dispatch({ type: 'connected', at: T0 + 20_000 });
    s.dispatch({ type: 'activity', at: T0 + 21_000, itemAt: T0 + 5_000 });
    expect(s.state.deliveryLagMs).toBeUndefined();
    s.dispatch({ type: 'activity', at: T0 + 23_000, itemAt: T0 + 20_500 });
    expect(s.state.deliveryLagMs).toBe(2_500);
  });

  test('a request that came up later than the margin allowed is flagged once up, and recovered with recoverGaps', () => {
    for (const recoverGaps of [false, true]) {
      const s = new StreamSupervisor(config({ recoverGaps }));
      droppedAfter(s, T0 + 60_000);
      const decidedAt = T0 + 90_000;
      expect(minutesOf(s.dispatch({ type: 'connect', at: decidedAt }))).toBe(1);
      // A slow connect: up 45 s after the decision, so X's minute started after the drop.
      const upAt = decidedAt + 45_000;
      const up = s.dispatch({ type: 'connected', at: upAt });
      expect(up.events[0]).toEqual({
        type: 'backfill',
        minutes: 1,
        outageMs: 30_000,
        exceedsWindow: true,
      });
      if (!recoverGaps) {
        expect(up.recover).toBeUndefined();
        continue;
      }
      // The recovery runs from a margin before the drop to a margin past where the
      // backfill surely starts (counted from when the connection came up).
      expect(up.recover).toEqual([
        { id: 1, startTime: T0 + 60_000 - M, endTime: Math.min(upAt - MIN + M, upAt) },
      ]);
    }
  });

  test('a request up within the margin is neither flagged nor recovered', () => {
    const s = new StreamSupervisor(config({ recoverGaps: true }));
    droppedAfter(s, T0 + 60_000);
    s.dispatch({ type: 'connect', at: T0 + 90_000 });
    const up = s.dispatch({ type: 'connected', at: T0 + 90_000 + REQUEST_ARRIVAL_MARGIN_MS });
    expect(up.events).toEqual([
      { type: 'backfill', minutes: 1, outageMs: 30_000, exceedsWindow: false },
    ]);
    expect(up.recover).toBeUndefined();
  });
});

describe('StreamSupervisor: recovery uses the same margin-adjusted coverage', () => {
  test('an outage of 4 min 50 s is past the window with its margins: backfill 5 and a recovery for the rest', () => {
    const s = new StreamSupervisor(config({ recoverGaps: true }));
    droppedAfter(s, T0);
    const decidedAt = T0 + 290_000;
    expect(minutesOf(s.dispatch({ type: 'connect', at: decidedAt }))).toBe(5);
    const up = s.dispatch({ type: 'connected', at: decidedAt });
    expect(up.events[0]).toMatchObject({ minutes: 5, exceedsWindow: true });
    expect(up.recover).toEqual([
      { id: 1, startTime: T0 - M, endTime: decidedAt - BACKFILL_WINDOW_MS + M },
    ]);
  });

  test('the recovery window meets the backfill where it surely starts, however late the request came up', () => {
    const s = new StreamSupervisor(config({ recoverGaps: true }));
    droppedAfter(s, T0);
    const decidedAt = T0 + 10 * MIN;
    s.dispatch({ type: 'connect', at: decidedAt });
    // Up 90 s after the decision (a slow connect, a busy machine): X's 5 minutes start
    // no later than 5 minutes before now.
    const upAt = decidedAt + 90_000;
    const up = s.dispatch({ type: 'connected', at: upAt });
    const [window] = up.recover ?? [];
    expect(window?.startTime).toBe(T0 - M);
    expect(window?.endTime).toBeGreaterThanOrEqual(replayFrom(upAt, 5));
    expect(window?.endTime).toBe(upAt - BACKFILL_WINDOW_MS + M);
  });

  test('the window starts as far before the drop as the delivery lag measured, when that is more than the recovery margin', () => {
    const s = new StreamSupervisor(config({ recoverGaps: true }));
    // Frames read 112 s after the post they carried was created (a stalled event loop).
    droppedAfter(s, T0 + 200_000, T0 + 88_000);
    s.dispatch({ type: 'connect', at: T0 + 15 * MIN });
    const up = s.dispatch({ type: 'connected', at: T0 + 15 * MIN });
    expect(up.recover?.[0]?.startTime).toBe(T0 + 88_000 - DELIVERY_LAG_MARGIN_MS);
  });

  test('without backfill, an outage past the window is recovered from the margin-adjusted start up to the reconnect', () => {
    const s = new StreamSupervisor(config({ backfill: false, recoverGaps: true }));
    droppedAfter(s, T0 + 1_000);
    s.dispatch({ type: 'connect', at: T0 + 7 * MIN });
    const up = s.dispatch({ type: 'connected', at: T0 + 7 * MIN + 2_000 });
    expect(up.recover).toEqual([
      { id: 1, startTime: T0 + 1_000 - M, endTime: T0 + 7 * MIN + 2_000 },
    ]);
  });
});
