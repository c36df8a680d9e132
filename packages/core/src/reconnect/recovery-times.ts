import type { RecoveryWindow } from './recovery-plan.js';

/** An instant as X's `start_time`/`end_time` want it: `YYYY-MM-DDTHH:mm:ssZ` (RFC 3339, whole seconds). */
export function rfc3339Seconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The `start_time`/`end_time` parameters that replay a recovery window:
 * the start rounded down and the end rounded up to whole seconds, so the
 * request covers at least the gap (the posts at the edges are redelivered
 * and dropped by dedupe). The one formatting of a window for every driver
 * of the `StreamSupervisor`.
 *
 * @example
 * ```ts
 * recoveryTimeParams({ startTime: Date.UTC(2026, 0, 1, 12, 0, 0, 250), endTime: Date.UTC(2026, 0, 1, 12, 7, 0, 1) });
 * // { start_time: '2026-01-01T12:00:00Z', end_time: '2026-01-01T12:07:01Z' }
 * ```
 */
export function recoveryTimeParams(window: Pick<RecoveryWindow, 'startTime' | 'endTime'>): {
  start_time: string;
  end_time: string;
} {
  return {
    start_time: rfc3339Seconds(Math.floor(window.startTime / 1000) * 1000),
    end_time: rfc3339Seconds(Math.ceil(window.endTime / 1000) * 1000),
  };
}
