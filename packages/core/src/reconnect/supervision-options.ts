import type { Connection, ConnectionEndpointId } from '../admin/admin-schemas.js';
import type { ConnectionsClient } from '../admin/connections-client.js';
import { ConfigError } from '../errors/config-error.js';
import type { BackfillSetting } from './backfill.js';
import type { ReconnectPolicyHook, ReconnectSchedule } from './policy.js';

/**
 * The bound on a stream that has never connected: it ends with a
 * `FirstConnectionError` after `maxAttempts` failed attempts or
 * `maxElapsedMs` since the first one, whichever comes first. Only failures
 * that never reached an HTTP server count (DNS, refused, TLS, timeout,
 * proxy, reset); an HTTP answer such as 429 or 503 proves the URL is right
 * and follows X's policy.
 */
export interface FirstConnectionBound {
  /** Failed attempts before giving up; `Infinity` turns the bound off. @default 10 */
  maxAttempts?: number;
  /** Time from the first attempt before giving up, ms. @default 120_000 */
  maxElapsedMs?: number;
  /** Advice in the error (`FirstConnectionError.hint`); the default names SDK options. @default per cause */
  hint?: string;
}

export const DEFAULT_FIRST_CONNECTION: Readonly<Required<Omit<FirstConnectionBound, 'hint'>>> =
  Object.freeze({ maxAttempts: 10, maxElapsedMs: 120_000 });

/** Default `healthyAfterMs`. */
export const DEFAULT_HEALTHY_AFTER_MS = 30_000;
/** Default stall timeout: X's 20 s heartbeat plus a margin. */
export const DEFAULT_STALL_TIMEOUT_MS = 30_000;

/**
 * `reclaimStaleConnections`: `true`, or what to reclaim with. `true` needs a
 * driver that can make a `ConnectionsClient` itself (`StreamClient` uses its
 * own token, base URL and fetch); rx's `retryStream` has no token, so give it
 * `connections`.
 */
export type ReclaimOption =
  | boolean
  | {
      /** The client that lists and kills. @default one with the stream client's token, baseUrl and fetch (core only) */
      connections?: ConnectionsClient;
      /**
       * Connections never to kill, such as redundant siblings you run on
       * purpose in another process (for example by `client_ip`). Called for
       * each stale candidate; `true` keeps it.
       * @default () => false
       */
      keep?: (connection: Connection) => boolean;
      /**
       * The Connections API id of the stream (such as `filtered_stream`).
       * @default the stream's own (core: its endpoint; rx: read from the source's `connecting` URL)
       */
      endpoint?: ConnectionEndpointId;
    };

/** `reclaimStaleConnections` checked: what a driver reclaims with (`undefined` when off). */
export interface ReclaimSettings {
  connections: ConnectionsClient | undefined;
  keep: ((connection: Connection) => boolean) | undefined;
  endpoint: ConnectionEndpointId | undefined;
}

/**
 * How a stream is supervised — reconnects, back-off, backfill, recovery,
 * the first-connection bound and reclaiming a stale connection. One
 * contract, with one resolver and one set of error messages, for core's
 * streams (`client.filter(params, options)` and the other methods) and
 * `@birdstream/rx`'s `retryStream(options)`: the same option gives the same
 * behaviour, or the same `ConfigError`, in both.
 */
export interface SupervisionOptions {
  /**
   * How many reconnect attempts in a row, without a healthy connection in
   * between, before the stream ends with the last error (its message then
   * says it gave up). `0` never reconnects.
   * @default Infinity
   */
  maxRetries?: number;
  /**
   * X's reconnect schedule, number by number: network errors 250 ms linear
   * steps, HTTP errors 5 s doubling, 429s 60 s doubling, plus `jitter`.
   * @default X_RECONNECT_SCHEDULE
   */
  schedule?: Partial<ReconnectSchedule>;
  /**
   * A connection open at least this long counts as healthy: when it drops,
   * the stream reconnects at once and the back-off starts over. A connection
   * that ends sooner counts as a failed attempt, so a server that accepts
   * and drops at once never causes a hot loop. 30 s is above the 18 s
   * average spacing that X's 50 connections per 15 minutes allow.
   * @default 30_000
   */
  healthyAfterMs?: number;
  /** Source of randomness for `schedule.jitter`, in [0, 1). @default Math.random */
  random?: () => number;
  /**
   * Overrides each reconnect decision: return a delay in ms (a negative one
   * counts as 0), `false` to stop with the error, or `undefined` to keep X's
   * policy. It may retry errors X calls fatal. It receives the error as a
   * `BirdstreamError` (a foreign one wrapped in a `ConnectionError` whose
   * `cause` is the original).
   * @default undefined (X's policy)
   */
  policy?: ReconnectPolicyHook;
  /**
   * Ask X to redeliver missed posts on reconnect (`backfill_minutes`,
   * Enterprise): `'auto'` asks for the outage (since the last post or
   * keep-alive received) rounded up to whole minutes, 1 to 5; a number
   * always asks for that. Announced by a `backfill` event once the
   * connection that asked for it is up.
   * @default false
   */
  backfill?: BackfillSetting;
  /**
   * Recover outages longer than X's 5-minute backfill window (Enterprise):
   * once the live connection after such an outage is up, a
   * `start_time`/`end_time` request replays the part backfill cannot reach
   * (up to 24 h back) beside the live stream. X runs at most 2 recovery jobs
   * at once; more wait. `recovery` events say what was started, recovered,
   * failed, or older than 24 hours and lost.
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
   * `start_time`/`end_time`. `@birdstream/redis`'s `Ingestor` passes the
   * newest post time a partition has written, minus `RECOVERY_MARGIN_MS`.
   * @default undefined (a fresh start: nothing before the first connection is replayed)
   * @example
   * ```ts
   * client.firehose({ partition: 3 }, { backfill: 'auto', recoverGaps: true, resumeFrom: lastSeenAt });
   * ```
   */
  resumeFrom?: number;
  /**
   * Until the stream has connected once, a small bound ends it with a
   * `FirstConnectionError` (the URL, the cause — DNS, refused, TLS,
   * timeout, proxy — and what to check) instead of retrying a wrong host
   * forever. Only failures that reach no HTTP server count; once connected,
   * X's policy and `maxRetries` apply. `false` turns it off.
   * @default { maxAttempts: 10, maxElapsedMs: 120_000 }
   */
  firstConnection?: FirstConnectionBound | false;
  /**
   * On a 429 TooManyConnections (often a crashed process's connection that
   * X still counts), list the app's active connections to this stream
   * (Connections API) and kill the stale ones: those that connected before
   * this stream started and that `keep` does not claim. With at least one
   * killed, the stream reconnects at once; otherwise, or when listing
   * fails, it waits per X's policy. Once per 429 episode. A `reclaimed`
   * event says what was killed and why.
   * @default false
   */
  reclaimStaleConnections?: ReclaimOption;
}

/** Everything the supervisor decides by: `SupervisionOptions` checked, defaults applied. */
export interface SupervisorConfig {
  /** Reconnects in a row without a healthy connection before it stops. */
  maxRetries: number;
  /** A connection alive (last byte, not last event) this long counts as healthy. */
  healthyAfterMs: number;
  schedule?: Partial<ReconnectSchedule> | undefined;
  random?: (() => number) | undefined;
  /** The policy hook; it receives the error as a `BirdstreamError` (anything else is wrapped). */
  policy?: ReconnectPolicyHook | undefined;
  backfill: BackfillSetting;
  firstConnection?: FirstConnectionBound | undefined;
  /** Recover outages longer than the 5-minute backfill window. @default false */
  recoverGaps?: boolean | undefined;
  /** Everything created before this time was received before the stream started. @default undefined */
  resumeFrom?: number | undefined;
  /**
   * On a 429 TooManyConnections, ask the driver to kill stale connections
   * (decision `reclaim`) before backing off, once per episode. @default false
   */
  reclaim?: boolean | undefined;
}

/** `SupervisionOptions` resolved: the supervisor's config and, when on, what to reclaim with. */
export interface ResolvedSupervision {
  config: SupervisorConfig;
  reclaim: ReclaimSettings | undefined;
}

/** A positive number of milliseconds, or a `ConfigError` naming the option. */
export function positiveMs(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new ConfigError(
      `${name} must be a positive number of milliseconds, got ${String(value)}.`,
    );
  }
  return value;
}

/**
 * Checks `stallTimeoutMs` (core's streams, rx's `heartbeatTimeout`): a
 * finite positive number of milliseconds (a timer cannot wait forever).
 */
export function resolveStallTimeout(value: unknown): number {
  if (value === undefined) return DEFAULT_STALL_TIMEOUT_MS;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(
      `stallTimeoutMs must be a finite positive number of milliseconds, got ${String(value)}.`,
    );
  }
  return value;
}

/**
 * Checks `SupervisionOptions` and applies the defaults; throws a
 * `ConfigError` naming the option for a bad value. The one resolver of the
 * contract, for core's streams and rx's `retryStream`.
 */
export function resolveSupervision(options: SupervisionOptions = {}): ResolvedSupervision {
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
    throw new ConfigError(
      `backfill must be 'auto', a whole number of minutes from 1 to 5, or false, got ${String(backfill)}.`,
    );
  }
  const schedule = options.schedule ?? {};
  if (typeof schedule !== 'object' || schedule === null) {
    throw new ConfigError(`schedule must be an object of numbers, got ${String(schedule)}.`);
  }
  for (const [key, value] of Object.entries(schedule)) {
    if (value !== undefined && (typeof value !== 'number' || Number.isNaN(value) || value < 0)) {
      throw new ConfigError(`schedule.${key} must be a number ≥ 0, got ${String(value)}.`);
    }
  }
  if (options.random !== undefined && typeof options.random !== 'function') {
    throw new ConfigError('random must be a function returning a number in [0, 1).');
  }
  const recoverGaps = options.recoverGaps ?? false;
  if (typeof recoverGaps !== 'boolean') {
    throw new ConfigError(`recoverGaps must be true or false, got ${String(recoverGaps)}.`);
  }
  if (options.policy !== undefined && typeof options.policy !== 'function') {
    throw new ConfigError('policy must be a function.');
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
  const reclaim = resolveReclaim(options.reclaimStaleConnections);
  return {
    config: {
      maxRetries,
      healthyAfterMs: positiveMs(
        'healthyAfterMs',
        options.healthyAfterMs,
        DEFAULT_HEALTHY_AFTER_MS,
      ),
      schedule,
      random: options.random,
      policy: options.policy,
      backfill,
      firstConnection: resolveFirstConnection(options.firstConnection),
      recoverGaps,
      resumeFrom,
      reclaim: reclaim !== undefined,
    },
    reclaim,
  };
}

/** Checks the `firstConnection` option (`false` → no bound). */
export function resolveFirstConnection(
  option: FirstConnectionBound | false | undefined,
): FirstConnectionBound {
  if (option === false) {
    return { maxAttempts: Number.POSITIVE_INFINITY, maxElapsedMs: Number.POSITIVE_INFINITY };
  }
  if (option === undefined) return { ...DEFAULT_FIRST_CONNECTION };
  if (typeof option !== 'object' || option === null) {
    throw new ConfigError(
      `firstConnection must be { maxAttempts, maxElapsedMs, hint } or false, got ${String(option)}.`,
    );
  }
  const maxAttempts = option.maxAttempts ?? DEFAULT_FIRST_CONNECTION.maxAttempts;
  if (typeof maxAttempts !== 'number' || Number.isNaN(maxAttempts) || maxAttempts < 1) {
    throw new ConfigError(
      `firstConnection.maxAttempts must be a whole number ≥ 1 or Infinity, got ${String(maxAttempts)}.`,
    );
  }
  const maxElapsedMs = positiveMs(
    'firstConnection.maxElapsedMs',
    option.maxElapsedMs,
    DEFAULT_FIRST_CONNECTION.maxElapsedMs,
  );
  if (option.hint !== undefined && typeof option.hint !== 'string') {
    throw new ConfigError('firstConnection.hint must be a string.');
  }
  return option.hint === undefined
    ? { maxAttempts, maxElapsedMs }
    : { maxAttempts, maxElapsedMs, hint: option.hint };
}

/** A ConnectionsClient of any copy of core (duck-typed: `instanceof` fails across copies). */
function isConnectionsClient(value: unknown): value is ConnectionsClient {
  const client = value as Partial<ConnectionsClient> | null;
  return (
    typeof client === 'object' &&
    client !== null &&
    typeof client.listAll === 'function' &&
    typeof client.kill === 'function'
  );
}

/** Checks `reclaimStaleConnections`; `undefined` when it is off. */
function resolveReclaim(option: unknown): ReclaimSettings | undefined {
  if (option === undefined || option === false) return undefined;
  if (option === true) return { connections: undefined, keep: undefined, endpoint: undefined };
  const shape = 'reclaimStaleConnections must be true, false or { connections, keep, endpoint }';
  if (typeof option !== 'object' || option === null) {
    throw new ConfigError(`${shape}, got ${String(option)}.`);
  }
  const { connections, keep, endpoint } = option as Exclude<ReclaimOption, boolean>;
  if (keep !== undefined && typeof keep !== 'function') {
    throw new ConfigError(
      'reclaimStaleConnections.keep must be a function (connection) => boolean.',
    );
  }
  if (connections !== undefined && !isConnectionsClient(connections)) {
    throw new ConfigError('reclaimStaleConnections.connections must be a ConnectionsClient.');
  }
  if (endpoint !== undefined && typeof endpoint !== 'string') {
    throw new ConfigError(
      'reclaimStaleConnections.endpoint must be a Connections API endpoint id such as filtered_stream.',
    );
  }
  return { connections, keep, endpoint };
}
