/** Backfill on reconnect: `'auto'` (the outage, 1–5 minutes), a fixed 1–5, or `false`. */
export type BackfillSetting = 'auto' | 1 | 2 | 3 | 4 | 5 | false;

/** X keeps at most 5 minutes for `backfill_minutes`. */
export const BACKFILL_WINDOW_MS = 5 * 60_000;

/** True when an outage was longer than X's 5-minute backfill window (posts may be lost). */
export function exceedsWindow(outageMs: number): boolean {
  return outageMs > BACKFILL_WINDOW_MS;
}

/** Backfill minutes to request for an outage: whole minutes rounded up, 1 to 5 (X's range). */
export function backfillMinutesFor(outageMs: number): number {
  return Math.min(5, Math.max(1, Math.ceil(outageMs / 60_000)));
}
