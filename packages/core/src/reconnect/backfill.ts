/** Backfill on reconnect: `'auto'` (the outage, 1–5 minutes), a fixed 1–5, or `false`. */
export type BackfillSetting = 'auto' | 1 | 2 | 3 | 4 | 5 | false;

/** X keeps at most 5 minutes for `backfill_minutes`. */
export const BACKFILL_WINDOW_MS = 5 * 60_000;

/**
 * How far before the last time covered a replay starts, at least: posts X
 * created shortly before the last frame we read may not have reached us yet
 * (X's delivery lag, the network, our own event loop, a clock a little off
 * X's). The lag measured on the live stream comes on top
 * (`deliveryLagMargin`). decisions/0005.
 */
export const DELIVERY_LAG_MARGIN_MS = 10_000;

/**
 * How long a backfill allows between the decision to reconnect and the
 * request reaching X, which counts `backfill_minutes` back from then: core's
 * default `connectTimeoutMs` (10 s), past which the attempt has failed. A
 * request that still came up later is caught once its connection is up
 * (`backfillReaches`): the rest is flagged `exceedsWindow` and recovered
 * with `recoverGaps`.
 */
export const REQUEST_ARRIVAL_MARGIN_MS = 10_000;

/**
 * The margin added to an outage when sizing `backfill_minutes`, when no lag
 * was measured: `DELIVERY_LAG_MARGIN_MS` before the last time covered plus
 * `REQUEST_ARRIVAL_MARGIN_MS` after the decision (20 s). The cost is up to
 * that much more replayed (never delivered twice: dedupe drops it); the
 * 1-minute minimum still covers an outage of up to 40 s.
 */
export const BACKFILL_MARGIN_MS = DELIVERY_LAG_MARGIN_MS + REQUEST_ARRIVAL_MARGIN_MS;

/**
 * How far before the last time covered the posts not received may have
 * been created: `DELIVERY_LAG_MARGIN_MS` plus the delivery lag measured on
 * the live stream (when the frame carrying its newest item was read, less
 * that item's creation time). A lag that is negative (our clock behind X's)
 * counts as 0; one longer than the backfill window is not taken for
 * delivery lag (an item dated long before it was sent, such as an old post
 * in a fixture): no backfill could cover it.
 */
export function deliveryLagMargin(lagMs: number | undefined): number {
  const lag = lagMs === undefined || !(lagMs <= BACKFILL_WINDOW_MS) ? 0 : Math.max(0, lagMs);
  return DELIVERY_LAG_MARGIN_MS + lag;
}

/** Backfill minutes to request for a span to reach back over: whole minutes rounded up, 1 to 5 (X's range). */
export function backfillMinutesFor(outageMs: number): number {
  return Math.min(5, Math.max(1, Math.ceil(outageMs / 60_000)));
}

/** What a reconnect asks X to replay (`backfillFor`). */
export interface BackfillSize {
  /** `backfill_minutes`. */
  minutes: number;
  /** The minutes cannot reach back to `needFrom` (longer than X's window, or fewer minutes than needed): posts may be lost. */
  exceedsWindow: boolean;
}

/**
 * The backfill of a reconnect decided at `at` that must replay everything
 * created since `needFrom` (the last time covered less
 * `deliveryLagMargin`): with `'auto'`, the minutes from `needFrom` to `at`
 * plus `REQUEST_ARRIVAL_MARGIN_MS`, rounded up and capped at 5; a fixed
 * setting asks for its minutes. `exceedsWindow` when they fall short.
 */
export function backfillFor(
  setting: Exclude<BackfillSetting, false>,
  at: number,
  needFrom: number,
): BackfillSize {
  const reachMs = at + REQUEST_ARRIVAL_MARGIN_MS - needFrom;
  const minutes = setting === 'auto' ? backfillMinutesFor(reachMs) : setting;
  return { minutes, exceedsWindow: reachMs > minutes * 60_000 };
}

/**
 * Whether a backfill of `minutes` reached back to `needFrom`, judged once
 * its connection is up at `upAt`: X counted the minutes back from when the
 * request reached it, which was no later than `upAt`, so the replay surely
 * covers from `upAt − minutes`. False when the request came up later than
 * `REQUEST_ARRIVAL_MARGIN_MS` (and the rounding to minutes) allowed.
 */
export function backfillReaches(upAt: number, minutes: number, needFrom: number): boolean {
  return upAt - minutes * 60_000 <= needFrom;
}
