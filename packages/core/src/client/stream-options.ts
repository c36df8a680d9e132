import { ConfigError } from '../errors/config-error.js';
import type { StreamEventHandlers } from '../events/lifecycle.js';
import { type BudgetOption, resolveBudget } from '../operate/budget.js';
import type { LagOptions } from '../operate/lag-meter.js';
import type { ReconnectPolicyHook, ReconnectSchedule } from '../reconnect/policy.js';
import { type DedupeOption, type DedupeSettings, resolveDedupe } from '../reconnect/post-dedupe.js';
import {
  checkReclaimOption,
  type ReclaimOption,
  type ReclaimSettings,
} from '../reconnect/reclaim.js';
import {
  type BackfillSetting,
  DEFAULT_FIRST_CONNECTION,
  type FirstConnectionBound,
} from '../reconnect/supervisor.js';

/** Backfill on reconnect: `'auto'` (the outage, 1–5 minutes), a fixed 1–5, or `false`. */
export type BackfillOption = BackfillSetting;

/** Reconnect settings: X's schedule (each number overridable) plus what counts as healthy. */
export interface ReconnectOptions extends Partial<ReconnectSchedule> {
  /**
   * A connection open at least this long counts as healthy: when it drops,
   * the stream reconnects at once and the backoff starts over. A connection
   * that ends sooner counts as a failed attempt, so a server that accepts
   * and drops at once never causes a hot loop. 30 s is above the 18 s
   * average spacing that X's 50 connections per 15 minutes allow, so even a
   * stream that drops every 30 s cannot exhaust the connection limit.
   * @default 30_000
   */
  healthyAfterMs?: number;
  /** Source of randomness for `jitter`, in [0, 1). @default Math.random */
  random?: () => number;
}

/** Options of `client.filter()`, `client.sample()`, `client.sample10()` and `client.firehose()`. */
export interface StreamOptions {
  /** Closes the stream when aborted: the request and any back-off wait end at once and the loop ends quietly. */
  signal?: AbortSignal;
  /**
   * How many reconnect attempts in a row, without a healthy connection in
   * between, before the iterator throws the last error. `0` never reconnects.
   * @default Infinity
   */
  maxRetries?: number;
  /** X's reconnect schedule, overridable number by number. @default X_RECONNECT_SCHEDULE */
  reconnect?: ReconnectOptions;
  /**
   * Overrides each reconnect decision: return a delay in ms, `false` to stop
   * (the iterator throws), or `undefined` to keep X's policy.
   */
  policy?: ReconnectPolicyHook;
  /**
   * With no byte (post or keep-alive) for this long while the stream waits
   * for data, the connection is aborted and reopened. X sends a keep-alive
   * at least every 20 s; 30 s tolerates a late heartbeat or a GC pause
   * without waiting long on a dead socket.
   * @default 30_000
   */
  stallTimeoutMs?: number;
  /**
   * Ask X to redeliver missed posts on reconnect (`backfill_minutes`,
   * Enterprise): `'auto'` asks for the outage (time since the last byte)
   * rounded up to whole minutes, 1 to 5; a number always asks for that.
   * @default false
   */
  backfill?: BackfillOption;
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
   * items, so it is on when either is used.
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
   * Until the stream has connected once, a separate small bound ends it
   * with a `FirstConnectionError` (naming the URL, the cause — DNS,
   * refused, TLS, timeout, proxy — and what to check) instead of retrying
   * a wrong host forever. Only failures that reach no HTTP server count;
   * once connected, X's policy and `maxRetries` apply. `false` turns it off.
   * @default { maxAttempts: 10, maxElapsedMs: 120_000 }
   */
  firstConnection?: FirstConnectionBound | false;
  /**
   * Recover outages longer than X's 5-minute backfill window (Enterprise):
   * on reconnect after such an outage, a `start_time`/`end_time` request
   * replays the part of the gap backfill cannot cover (up to 24 h back)
   * beside the live stream; its posts are merged and deduplicated. X runs
   * at most 2 recovery jobs at once; more wait. `recovery` events say what
   * was recovered, what failed, and what was older than 24 h and lost.
   * The recovery replays posts at the gap's edges that were delivered
   * before the outage, longer ago than dedupe's `retainMs`: dedupe keeps
   * every key received since the window's start until the recovered posts
   * have been checked, so each is still delivered once. A recovery is read
   * no faster than you take its posts: at most `RECOVERY_BUFFER_POSTS`
   * (1,000) wait in memory, the rest stays on the connection until there is
   * room.
   * @default false
   */
  recoverGaps?: boolean;
  /**
   * Continue where an earlier reader stopped: everything created before
   * this time (epoch ms) was already received (by a previous process, or by
   * another worker that held this partition). The first connection is then
   * treated as a reconnect after an outage since `resumeFrom`: with
   * `backfill` it asks `backfill_minutes` for it (1–5), and with
   * `recoverGaps` it recovers the part beyond X's 5 minutes (up to 24 h) with
   * `start_time`/`end_time`; the `backfill` and `recovery` events say so.
   * `@birdstream/redis`'s `Ingestor` passes the newest post time a partition
   * has written, minus `RECOVERY_MARGIN_MS`.
   * @default undefined (a fresh start: nothing before the first connection is replayed)
   * @example
   * ```ts
   * client.firehose({ partition: 3 }, { backfill: 'auto', recoverGaps: true, resumeFrom: lastSeenAt });
   * ```
   */
  resumeFrom?: number;
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
  /**
   * On a 429 TooManyConnections (often a crashed process's connection that
   * X still counts), list the app's active connections to this endpoint
   * (Connections API) and kill the stale ones: those that connected before
   * this stream started and that `keep` does not claim (declare redundant
   * siblings you run elsewhere there). With at least one killed, the stream
   * reconnects at once; otherwise, or when listing fails, it waits per X's
   * policy. Once per 429 episode: a second 429 in a row backs off. A
   * `reclaimed` event says what was killed and why. `true` uses a
   * `ConnectionsClient` with the stream client's token, base URL and fetch.
   * @default false
   */
  reclaimStaleConnections?: ReclaimOption;
  /** Lifecycle event listeners, the same as calling `stream.on(type, listener)` for each. */
  on?: StreamEventHandlers;
}

/** Default stall timeout: X's 20 s heartbeat plus a margin. */
export const DEFAULT_STALL_TIMEOUT_MS = 30_000;
/** Default `healthyAfterMs`. */
export const DEFAULT_HEALTHY_AFTER_MS = 30_000;

/** StreamOptions with defaults applied and checked. */
export interface ResolvedStreamOptions {
  signal: AbortSignal | undefined;
  maxRetries: number;
  schedule: Partial<ReconnectSchedule>;
  healthyAfterMs: number;
  random: (() => number) | undefined;
  policy: ReconnectPolicyHook | undefined;
  stallTimeoutMs: number;
  backfill: BackfillOption;
  validate: 'strict' | 'off';
  /** Dedupe window size, or 0 for off. */
  /** `undefined` when dedupe is off. */
  dedupe: DedupeSettings | undefined;
  maxMessageBytes: number | undefined;
  firstConnection: FirstConnectionBound;
  recoverGaps: boolean;
  resumeFrom: number | undefined;
  budget: BudgetOption | undefined;
  lag: LagOptions | false;
  /** `undefined` when `reclaimStaleConnections` is off. */
  reclaim: ReclaimSettings | undefined;
  on: StreamEventHandlers | undefined;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new ConfigError(
      `${name} must be a positive number of milliseconds, got ${String(value)}.`,
    );
  }
  return value;
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
  const maxRetries = options.maxRetries ?? Number.POSITIVE_INFINITY;
  if (
    typeof maxRetries !== 'number' ||
    Number.isNaN(maxRetries) ||
    maxRetries < 0 ||
    (Number.isFinite(maxRetries) && !Number.isInteger(maxRetries))
  ) {
    throw new ConfigError(
      `maxRetries must be a whole number ≥ 0 or Infinity, got ${String(maxRetries)}.`,
    );
  }
  const backfill = options.backfill ?? false;
  if (backfill !== false && backfill !== 'auto' && ![1, 2, 3, 4, 5].includes(backfill)) {
    throw new ConfigError(`backfill must be 'auto', 1 to 5, or false, got ${String(backfill)}.`);
  }
  const validate = options.validate ?? 'strict';
  if (validate !== 'strict' && validate !== 'off') {
    throw new ConfigError(`validate must be 'strict' or 'off', got ${String(validate)}.`);
  }
  const { healthyAfterMs, random, ...schedule } = options.reconnect ?? {};
  for (const [key, value] of Object.entries(schedule)) {
    if (value !== undefined && (typeof value !== 'number' || Number.isNaN(value) || value < 0)) {
      throw new ConfigError(`reconnect.${key} must be a number ≥ 0, got ${String(value)}.`);
    }
  }
  const recoverGaps = options.recoverGaps ?? false;
  if (typeof recoverGaps !== 'boolean') {
    throw new ConfigError(`recoverGaps must be true or false, got ${String(recoverGaps)}.`);
  }
  const resumeFrom = options.resumeFrom;
  if (
    resumeFrom !== undefined &&
    !(typeof resumeFrom === 'number' && Number.isFinite(resumeFrom))
  ) {
    throw new ConfigError(
      `resumeFrom must be a time in epoch ms (such as Date.now() - 60_000), got ${String(resumeFrom)}.`,
    );
  }
  const dedupe = resolveDedupe(options.dedupe ?? (backfill !== false || replays || recoverGaps));
  const maxMessageBytes = options.maxMessageBytes;
  if (
    maxMessageBytes !== undefined &&
    (!Number.isInteger(maxMessageBytes) || maxMessageBytes < 1)
  ) {
    throw new ConfigError(
      `maxMessageBytes must be a positive whole number, got ${String(maxMessageBytes)}.`,
    );
  }
  if (options.policy !== undefined && typeof options.policy !== 'function') {
    throw new ConfigError('policy must be a function.');
  }
  const firstConnection = resolveFirstConnection(options.firstConnection);
  if (options.budget !== undefined) resolveBudget(options.budget);
  const lag = resolveLag(options.lag);
  return {
    signal: options.signal,
    maxRetries,
    schedule,
    healthyAfterMs: positive('reconnect.healthyAfterMs', healthyAfterMs, DEFAULT_HEALTHY_AFTER_MS),
    random,
    policy: options.policy,
    stallTimeoutMs: positive('stallTimeoutMs', options.stallTimeoutMs, DEFAULT_STALL_TIMEOUT_MS),
    backfill,
    validate,
    dedupe,
    maxMessageBytes,
    firstConnection,
    recoverGaps,
    resumeFrom,
    budget: options.budget,
    lag,
    reclaim: checkReclaimOption(options.reclaimStaleConnections),
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
  positive('lag.intervalMs', option.intervalMs, 1);
  positive('lag.maxAgeMs', option.maxAgeMs, 1);
  const share = option.maxConsumerShare;
  if (share !== undefined && (typeof share !== 'number' || !(share > 0 && share <= 1))) {
    throw new ConfigError(
      `lag.maxConsumerShare must be a share above 0 and at most 1, got ${String(share)}.`,
    );
  }
  return { ...option };
}

/** Checks the `firstConnection` option (`false` → no bound). */
export function resolveFirstConnection(
  option: FirstConnectionBound | false | undefined,
  name = 'firstConnection',
): FirstConnectionBound {
  if (option === false) {
    return { maxAttempts: Number.POSITIVE_INFINITY, maxElapsedMs: Number.POSITIVE_INFINITY };
  }
  if (option === undefined) return { ...DEFAULT_FIRST_CONNECTION };
  if (typeof option !== 'object' || option === null) {
    throw new ConfigError(
      `${name} must be { maxAttempts, maxElapsedMs, hint } or false, got ${String(option)}.`,
    );
  }
  const maxAttempts = option.maxAttempts ?? DEFAULT_FIRST_CONNECTION.maxAttempts;
  if (typeof maxAttempts !== 'number' || Number.isNaN(maxAttempts) || maxAttempts < 1) {
    throw new ConfigError(
      `${name}.maxAttempts must be a whole number ≥ 1 or Infinity, got ${String(maxAttempts)}.`,
    );
  }
  const maxElapsedMs = option.maxElapsedMs ?? DEFAULT_FIRST_CONNECTION.maxElapsedMs;
  if (typeof maxElapsedMs !== 'number' || Number.isNaN(maxElapsedMs) || maxElapsedMs <= 0) {
    throw new ConfigError(
      `${name}.maxElapsedMs must be a positive number of milliseconds, got ${String(maxElapsedMs)}.`,
    );
  }
  if (option.hint !== undefined && typeof option.hint !== 'string') {
    throw new ConfigError(`${name}.hint must be a string.`);
  }
  return option.hint === undefined
    ? { maxAttempts, maxElapsedMs }
    : { maxAttempts, maxElapsedMs, hint: option.hint };
}
