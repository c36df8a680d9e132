import { IdWindow } from '../dedupe/id-window.js';
import {
  DEFAULT_DEDUPE_MAX_IDS,
  DEFAULT_DEDUPE_RETAIN_MS,
  type DedupeOverflow,
  TimedIdWindow,
} from '../dedupe/timed-id-window.js';
import { ConfigError } from '../errors/config-error.js';
import type { Clock } from '../time/clock.js';

/**
 * The `dedupe` stream option: `true` (the defaults), `false`, or how long
 * to remember each delivered item (`retainMs`) with a hard bound on the ids
 * held (`maxIds`). `window` (a count of ids) is the deprecated form.
 */
export type DedupeOption =
  | boolean
  | {
      /** How long each delivered item's key is remembered, ms. @default DEFAULT_DEDUPE_RETAIN_MS (6 minutes: X's 5-minute backfill window plus margin) */
      retainMs?: number;
      /** Hard bound on the keys remembered; reaching it early is reported as a `dedupe-overflow` event. @default DEFAULT_DEDUPE_MAX_IDS */
      maxIds?: number;
      /**
       * @deprecated Remembers the last `window` keys whatever their age; at
       * high rates a backfill overflows it and replays are delivered again.
       * Use `retainMs`.
       */
      window?: number;
    };

/** The dedupe option resolved: by time (the default) or, deprecated, by count. */
export type DedupeSettings =
  | { readonly retainMs: number; readonly maxIds: number }
  | { readonly window: number };

/** Checks the `dedupe` option; `undefined` when dedupe is off. */
export function resolveDedupe(option: DedupeOption): DedupeSettings | undefined {
  if (option === false) return undefined;
  if (option === true)
    return { retainMs: DEFAULT_DEDUPE_RETAIN_MS, maxIds: DEFAULT_DEDUPE_MAX_IDS };
  if (typeof option !== 'object' || option === null) {
    throw new ConfigError('dedupe must be true, false or { retainMs, maxIds }.');
  }
  if (option.window !== undefined && option.retainMs === undefined && option.maxIds === undefined) {
    if (!Number.isInteger(option.window) || option.window < 1) {
      throw new ConfigError(
        `dedupe.window must be a positive whole number of ids, got ${String(option.window)}.`,
      );
    }
    return { window: option.window };
  }
  const retainMs = option.retainMs ?? DEFAULT_DEDUPE_RETAIN_MS;
  const maxIds = option.maxIds ?? DEFAULT_DEDUPE_MAX_IDS;
  if (typeof retainMs !== 'number' || !Number.isFinite(retainMs) || retainMs <= 0) {
    throw new ConfigError(
      `dedupe.retainMs must be a positive number of ms, got ${String(retainMs)}.`,
    );
  }
  if (!Number.isSafeInteger(maxIds) || maxIds < 1) {
    throw new ConfigError(`dedupe.maxIds must be a positive whole number, got ${String(maxIds)}.`);
  }
  return { retainMs, maxIds };
}

/**
 * The one seam between a stream and its dedupe memory: `seen(key, at)`
 * answers whether an item with this key was already delivered, and records
 * it. The stream driver and the partition fan-in both use it.
 */
export interface PostDedupe {
  seen(key: string, at: number): boolean;
  /**
   * Keeps every key first seen at or after `since` until the returned
   * function is called (see `TimedIdWindow.hold`); absent for the
   * deprecated count window.
   */
  hold?(since: number): () => void;
}

/**
 * How long before a recovery window's start (clock time) dedupe's memory is
 * held (`hold`): covers the delay between a post's creation time, which the
 * window is in, and when it was received, and some clock skew.
 */
export const RECOVERY_HOLD_MARGIN_MS = 60_000;

/** The dedupe memory for `settings`, or `undefined` when dedupe is off. */
export function createPostDedupe(
  settings: DedupeSettings | undefined,
  clock: Pick<Clock, 'now'>,
  onOverflow?: (overflow: DedupeOverflow) => void,
): PostDedupe | undefined {
  if (settings === undefined) return undefined;
  if ('window' in settings) {
    const ids = new IdWindow(settings.window);
    return { seen: (key) => ids.seen(key) };
  }
  const window = new TimedIdWindow({
    retainMs: settings.retainMs,
    maxIds: settings.maxIds,
    clock,
    ...(onOverflow ? { onOverflow } : {}),
  });
  return { seen: (key) => window.seen(key), hold: (since) => window.hold(since) };
}
