import { ConfigError } from '@birdstream/core';

/** How far back X replays a webhook's deliveries: 24 hours. */
export const REPLAY_HORIZON_MS = 24 * 3_600_000;

const MINUTE_MS = 60_000;

/** A replay window, as `POST /2/webhooks/replay` takes it (UTC, `yyyymmddhhmm`). */
export interface ReplayWindow {
  from_date: string;
  to_date: string;
}

/** A time as X's replay dates: UTC `yyyymmddhhmm` (seconds dropped). */
export function toReplayDate(time: Date | number): string {
  const date = new Date(typeof time === 'number' ? time : time.getTime());
  if (Number.isNaN(date.getTime()))
    throw new ConfigError('A replay date must be a valid Date or epoch ms.');
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}`;
}

/**
 * The replay window for `from`–`to`, checked as X checks it: `from` within the
 * last 24 hours, `to` after `from` and not in the future. `from` is rounded
 * down and `to` up to the minute, so the window covers both ends; a `from` at
 * most a minute past the horizon (a rounding) is moved to the first minute X
 * accepts, an older one is refused.
 *
 * @example
 * ```ts
 * replayWindow(Date.now() - 3_600_000, Date.now()); // { from_date: '202605011100', to_date: '202605011200' }
 * ```
 */
export function replayWindow(
  from: Date | number,
  to: Date | number,
  now: number = Date.now(),
): ReplayWindow {
  const fromMs = typeof from === 'number' ? from : from.getTime();
  const toMs = typeof to === 'number' ? to : to.getTime();
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs)) {
    throw new ConfigError('replay() needs from and to as Dates or epoch ms.');
  }
  if (toMs > now + MINUTE_MS) {
    throw new ConfigError('The replay window must not end in the future.');
  }
  if (fromMs >= toMs) throw new ConfigError('The replay window must start before it ends.');
  const horizon = Math.ceil((now - REPLAY_HORIZON_MS) / MINUTE_MS) * MINUTE_MS;
  if (fromMs < horizon - MINUTE_MS) {
    throw new ConfigError(
      `X replays only the last 24 hours: the window must start at ${new Date(horizon).toISOString()} or later; what is older cannot be redelivered.`,
    );
  }
  const start = Math.max(Math.floor(fromMs / MINUTE_MS) * MINUTE_MS, horizon);
  const end = Math.min(
    Math.ceil(toMs / MINUTE_MS) * MINUTE_MS,
    Math.floor(now / MINUTE_MS) * MINUTE_MS,
  );
  return {
    from_date: toReplayDate(start),
    to_date: toReplayDate(Math.max(end, start + MINUTE_MS)),
  };
}
