import { type DedupeOption, resolveDedupe } from '../dedupe/post-dedupe.js';
import type { ResolvedStreamOptions } from '../driver/driver-options.js';
import { ConfigError } from '../errors/config-error.js';
import type { StreamEventHandlers } from '../events/lifecycle.js';
import { type BudgetOption, resolveBudget } from '../operate/budget.js';
import type { LagOptions } from '../operate/lag-meter.js';
import type { BackfillSetting } from '../reconnect/backfill.js';
import {
  positiveMs,
  resolveStallTimeout,
  resolveSupervision,
  type SupervisionOptions,
} from '../reconnect/supervision-options.js';

/** Backfill on reconnect: `'auto'` (the outage, 1–5 minutes), a fixed 1–5, or `false`. */
export type BackfillOption = BackfillSetting;

/**
 * Options of `client.filter()`, `client.sample()`, `client.stream()` and the
 * other stream methods: the supervision contract (`SupervisionOptions`,
 * shared with `@birdstream/rx`'s `retryStream`) plus what the `for await`
 * driver itself does — the stall watchdog, validation, dedupe, budget and
 * lag.
 */
export interface StreamOptions extends SupervisionOptions {
  /** Closes the stream when aborted: the request and any back-off wait end at once and the loop ends quietly. */
  signal?: AbortSignal;
  /**
   * With no byte (post or keep-alive) for this long while the stream waits
   * for data, the connection is aborted and reopened. X sends a keep-alive
   * at least every 20 s; 30 s tolerates a late heartbeat or a GC pause
   * without waiting long on a dead socket. (rx: `heartbeatTimeout({ stallTimeoutMs })`.)
   * @default 30_000
   */
  stallTimeoutMs?: number;
  /**
   * `'strict'` checks every message against the schemas and reports a
   * non-conforming one as `payload-invalid`; `'off'` only parses JSON.
   * @default 'strict'
   */
  validate?: 'strict' | 'off';
  /**
   * Drop items already delivered (same key: the endpoint table's
   * `dedupeKey`, the post id on post streams) seen in the last `retainMs`,
   * reporting each as a `duplicate` event. Sized by time, so it holds at any
   * rate; a hard `maxIds` bound reached early is reported as a
   * `dedupe-overflow` event, never silently. Backfill and recovery replay
   * items, so it is on when either is used. (rx: `dedupeById({ retainMs, maxIds })`.)
   * @default true with backfill or a recovery window, else false; retainMs 6 minutes, maxIds 2,000,000
   */
  dedupe?: DedupeOption;
  /**
   * Largest message accepted, in bytes; a longer one is skipped and
   * reported as `payload-invalid` (kind `oversize`).
   * @default 16 MiB
   */
  maxMessageBytes?: number;
  /**
   * A cap on posts delivered, per UTC day, UTC month or this run, set by
   * you below X's plan cap: `usage` events and `stream.stats.usage` say
   * where it stands, a `budget-warning` event fires at `warnAt`, and at
   * `maxPosts` the stream stops cleanly — the post that reached the limit
   * is delivered, the connection is closed, and the loop throws
   * `BudgetExhaustedError`.
   * @default undefined (no budget)
   */
  budget?: BudgetOption;
  /**
   * Lag measurements: a `lag` event every `intervalMs` at most (age of
   * recent posts, how long the consumer holds each, what waits in the
   * client), `stream.stats.lag`, and a `falling-behind` event before X
   * would disconnect a slow reader (`caught-up` when it recovers). `false`
   * turns them off.
   * @default { intervalMs: 5_000, maxAgeMs: 30_000, maxConsumerShare: 0.9 }
   */
  lag?: LagOptions | false;
  /** Lifecycle event listeners, the same as calling `stream.on(type, listener)` for each. */
  on?: StreamEventHandlers;
}

/**
 * Applies defaults and checks values; throws `ConfigError` with the option's
 * name for a bad one. `replays` is true when the request itself replays posts
 * (a recovery window or `backfill_minutes` in params).
 */
export function resolveStreamOptions(
  options: StreamOptions = {},
  replays = false,
): ResolvedStreamOptions {
  const { config: supervision, reclaim } = resolveSupervision(options);
  const validate = options.validate ?? 'strict';
  if (validate !== 'strict' && validate !== 'off') {
    throw new ConfigError(`validate must be 'strict' or 'off', got ${String(validate)}.`);
  }
  const dedupe = resolveDedupe(
    options.dedupe ??
      (supervision.backfill !== false || replays || supervision.recoverGaps === true),
  );
  const maxMessageBytes = options.maxMessageBytes;
  if (
    maxMessageBytes !== undefined &&
    (!Number.isInteger(maxMessageBytes) || maxMessageBytes < 1)
  ) {
    throw new ConfigError(
      `maxMessageBytes must be a positive whole number, got ${String(maxMessageBytes)}.`,
    );
  }
  if (options.budget !== undefined) resolveBudget(options.budget);
  return {
    signal: options.signal,
    supervision,
    reclaim,
    stallTimeoutMs: resolveStallTimeout(options.stallTimeoutMs),
    validate,
    dedupe,
    maxMessageBytes,
    budget: options.budget,
    lag: resolveLag(options.lag),
    on: options.on,
  };
}

/** Checks the `lag` option (`undefined` → on with the defaults). */
export function resolveLag(option: LagOptions | false | undefined): LagOptions | false {
  if (option === false) return false;
  if (option === undefined) return {};
  if (typeof option !== 'object' || option === null) {
    throw new ConfigError(
      `lag must be { intervalMs, maxAgeMs, maxConsumerShare } or false, got ${String(option)}.`,
    );
  }
  positiveMs('lag.intervalMs', option.intervalMs, 1);
  positiveMs('lag.maxAgeMs', option.maxAgeMs, 1);
  const share = option.maxConsumerShare;
  if (share !== undefined && (typeof share !== 'number' || !(share > 0 && share <= 1))) {
    throw new ConfigError(
      `lag.maxConsumerShare must be a share above 0 and at most 1, got ${String(share)}.`,
    );
  }
  return { ...option };
}
