import { STREAM_ENDPOINT_TABLE, type StreamEndpointName } from '@birdstream/core';
import { backfillFor, deliveryLagMargin, RECOVERY_MARGIN_MS } from '@birdstream/core/internal';

/** How a claimed partition continues from what the previous owners wrote. */
export interface TakeoverPlan {
  /**
   * Everything of the partition created before this time (epoch ms) is in
   * the stream: the newest item time written, less core's
   * `RECOVERY_MARGIN_MS` (X does not send posts strictly in creation order).
   */
  anchor: number;
  /** From the anchor to now, ms. */
  outageMs: number;
  /** `backfill_minutes` the first connection asks for (1–5), or 0 when the endpoint has no backfill. */
  backfillMinutes: number;
  /**
   * True when the backfill cannot reach back over the gap (X keeps 5
   * minutes; core sizes the backfill with its margins, `backfillFor`).
   */
  exceedsWindow: boolean;
  /**
   * What happens to the part of the gap backfill cannot reach:
   * `'not-needed'` (within 5 minutes), `'recovering'` (core's `recoverGaps`
   * replays it with `start_time`/`end_time`), `'unavailable'` (the endpoint
   * has no recovery, or it is turned off: those posts are lost).
   */
  recovery: 'not-needed' | 'recovering' | 'unavailable';
  /** The part of the gap nothing replays (`recovery: 'unavailable'`), epoch ms. */
  unrecoverable?: { startTime: number; endTime: number } | undefined;
}

/**
 * The takeover of a partition whose newest written post was created at
 * `lastWritten` (epoch ms), claimed at `now`: backfill for up to X's 5
 * minutes, and core's gap recovery beyond that where the endpoint has it
 * (`recover`). The arithmetic of the windows themselves is core's (the
 * stream's `resumeFrom`); this says what to ask for and what cannot be had.
 */
export function takeoverPlan(
  endpoint: StreamEndpointName,
  lastWritten: number,
  now: number,
  recover: boolean,
): TakeoverPlan {
  const row = STREAM_ENDPOINT_TABLE[endpoint];
  const anchor = lastWritten - RECOVERY_MARGIN_MS;
  const outageMs = Math.max(0, now - anchor);
  // What core's stream will ask for with `resumeFrom: anchor` (the same function, the same margins).
  const backfill = row.backfill
    ? backfillFor('auto', now, anchor - deliveryLagMargin(undefined))
    : { minutes: 0, exceedsWindow: outageMs > 0 };
  const backfillMinutes = backfill.minutes;
  const exceedsWindow = backfill.exceedsWindow;
  if (!exceedsWindow) {
    return { anchor, outageMs, backfillMinutes, exceedsWindow, recovery: 'not-needed' };
  }
  if (row.recovery && recover) {
    return { anchor, outageMs, backfillMinutes, exceedsWindow, recovery: 'recovering' };
  }
  return {
    anchor,
    outageMs,
    backfillMinutes,
    exceedsWindow,
    recovery: 'unavailable',
    unrecoverable: { startTime: anchor, endTime: now - backfillMinutes * 60_000 },
  };
}
