import type { KillResult } from '../admin/admin-schemas.js';
import type { UnrecognizedMessage } from '../decode/unrecognized-message.js';
import type { BirdstreamError } from '../errors/birdstream-error.js';
import type { FailureKind } from '../errors/classify-failure.js';
import type { PayloadError } from '../errors/payload-error.js';
import type { ProblemDetails } from '../errors/problem.js';
import type { RateLimitInfo } from '../http/rate-limit.js';
import type { BudgetUsage } from '../operate/budget.js';
import type { FallingBehindReason, LagStat } from '../operate/lag-meter.js';
import type { SchemaDriftStat } from '../operate/schema-drift-meter.js';

/**
 * Everything that happens to a stream besides the posts themselves. A
 * `for await` loop only sees posts; subscribe to these with `stream.on()` or
 * the `on` option. (tweepy's `on_connect` → `connected`, `on_keep_alive` →
 * `keep-alive`, `on_errors` → `stream-errors`, `on_request_error` →
 * `reconnecting` with an `ApiError` reason, `on_closed` → `disconnected`,
 * `on_disconnect` → `closed`, `on_exception` → `error` / `payload-invalid`.)
 */
export type StreamLifecycleEvent =
  | ConnectingEvent
  | ConnectedEvent
  | KeepAliveEvent
  | StreamErrorsEvent
  | ReconnectingEvent
  | BackfillEvent
  | StalledEvent
  | DisconnectedEvent
  | PayloadInvalidEvent
  | UnrecognizedEvent
  | SchemaDriftEvent
  | DuplicateEvent
  | DedupeOverflowEvent
  | ErrorEvent
  | ClosedEvent
  | RecoveryEvent
  | UsageEvent
  | BudgetWarningEvent
  | LagEvent
  | FallingBehindEvent
  | CaughtUpEvent
  | ReclaimedEvent;

/** An HTTP request for the stream is about to be sent. */
export interface ConnectingEvent {
  type: 'connecting';
  /** 0 for the first connection, then 1, 2, … per reconnect since the last healthy connection. */
  attempt: number;
  /** The request URL (never contains credentials). */
  url: string;
  /** `backfill_minutes` sent with this request, if any. */
  backfillMinutes?: number;
}

/** The stream answered 200 and data can flow. */
export interface ConnectedEvent {
  type: 'connected';
  attempt: number;
  status: number;
  /** Response headers, credentials removed. */
  headers: Record<string, string>;
  rateLimit?: RateLimitInfo;
}

/** A keep-alive (`\r\n`) arrived. X sends one at least every 20 s. */
export interface KeepAliveEvent {
  type: 'keep-alive';
  /** Clock time it arrived, epoch ms. */
  at: number;
}

/** A message carried `errors` (in-band problems, partial errors, system messages). */
export interface StreamErrorsEvent {
  type: 'stream-errors';
  errors: ProblemDetails[];
  /** True when the message also carried a post (partial errors) rather than only errors. */
  withData: boolean;
  /** True for an `operational-disconnect` (the stream reconnects at once). */
  disconnect: boolean;
  /**
   * What the disconnect means, in words, when X named the reason: set for
   * a `SlowReader` ("Client too slow") disconnect, which says this client
   * read too slowly and what to do about it.
   */
  reason?: string;
}

/** The stream will reconnect after `delayMs`. */
export interface ReconnectingEvent {
  type: 'reconnecting';
  /** 1 for the first reconnect after a failure. */
  attempt: number;
  delayMs: number;
  /** Why the previous attempt or connection ended. */
  reason: BirdstreamError;
  /** X's backoff class used for the delay. */
  failure: Exclude<FailureKind, 'fatal'>;
  /**
   * How the previous attempt ended: `lost` (a connection that was up
   * dropped, stalled or was ended; a `disconnected` event came first),
   * `refused` (the server answered the request with an HTTP error, such as
   * 503 or 429: it is up but would not stream now) or `unreachable` (no
   * HTTP answer: DNS, a refused or reset TCP connection, TLS, a timeout, a
   * proxy).
   */
  previous: 'lost' | 'refused' | 'unreachable';
}

/**
 * The connection that just came up asked X to redeliver `minutes` of missed
 * posts (`backfill_minutes`). Announced once per reconnect, after its
 * `connected` event: attempts that failed before it announce nothing (their
 * `connecting` events carry the `backfillMinutes` they asked for).
 */
export interface BackfillEvent {
  type: 'backfill';
  minutes: number;
  /** How long nothing was received when the request was made (what `minutes` was sized from), in ms. */
  outageMs: number;
  /**
   * True when the minutes cannot reach back over the outage with its margins
   * (`BACKFILL_MARGIN_MS`): it was longer than X's 5-minute backfill window,
   * or the reconnect came up later than the margin allowed (X counts the
   * minutes from when the request reached it). Some posts may be lost;
   * `recoverGaps` replays them.
   */
  exceedsWindow: boolean;
}

/** Neither data nor keep-alive arrived for `timeoutMs`; the connection is aborted. */
export interface StalledEvent {
  type: 'stalled';
  timeoutMs: number;
  /** Bytes arrived during the window but no complete message or keep-alive (see `StallError`). */
  bytesWithoutMessage?: boolean;
}

/** A connection ended (server closed it, network dropped it, stall, in-band disconnect). */
export interface DisconnectedEvent {
  type: 'disconnected';
  reason: BirdstreamError | undefined;
  /** How long the connection was open, in ms. */
  durationMs: number;
  /** Whether it counted as healthy (open long enough to reset the backoff). */
  healthy: boolean;
}

/** A message was malformed, too large or did not match the schema; it was skipped. */
export interface PayloadInvalidEvent {
  type: 'payload-invalid';
  error: PayloadError;
}

/**
 * `validate: 'tolerant'` (the default): a message that could not be
 * delivered as the stream's type — no `data` or `errors`, an identity that
 * cannot be read, or a required field off its declared type — as X sent it
 * (`message`: ids exact, the token scrubbed), with `reason` and `issues`.
 * Nothing is dropped silently; `stream.stats.unrecognized` counts them.
 */
export interface UnrecognizedEvent extends UnrecognizedMessage {
  type: 'unrecognized';
}

/**
 * `validate: 'tolerant'` (the default): messages were delivered although a
 * value at `drift.path` was not of its declared type (coerced losslessly,
 * or set aside: see `driftOf()`). Reported in aggregate, per path and kind:
 * at most one event per path per `schemaDrift.intervalMs` (clock time), and
 * when the stream ends; `stream.stats.drift` holds the same figures.
 */
export interface SchemaDriftEvent {
  type: 'schema-drift';
  drift: SchemaDriftStat;
}

/** A post already delivered arrived again (backfill or redundant connection) and was dropped. */
export interface DuplicateEvent {
  type: 'duplicate';
  /**
   * The message's dedupe key from the endpoint table: the post id on post
   * streams, the like id on likes streams, `kind:objectId:event_at` on
   * compliance streams, `event_uuid` on the Activity stream.
   */
  id: string;
}

/**
 * The dedupe memory reached its `maxIds` bound before its items were
 * `retainMs` old, so it now covers only `coveredMs`: an item re-sent later
 * than that would be delivered again. Raise `dedupe.maxIds` (memory: about
 * 180 bytes per key) or accept the risk. Reported once per overflow episode.
 */
export interface DedupeOverflowEvent {
  type: 'dedupe-overflow';
  maxIds: number;
  retainMs: number;
  coveredMs: number;
}

/** A fatal error ended the stream; the iterator throws the same error. */
export interface ErrorEvent {
  type: 'error';
  error: BirdstreamError;
}

/** The stream is finished: closed by the caller, aborted, or ended by a fatal error. */
export interface ClosedEvent {
  type: 'closed';
  /** Undefined when closed by the caller. */
  error?: BirdstreamError;
}

/**
 * Recovery of an outage longer than X's 5-minute backfill window (option
 * `recoverGaps`, Enterprise): a `start_time`/`end_time` request replays the
 * gap alongside the live stream. `phase` says what happened to the window
 * [`startTime`, `endTime`] (epoch ms): `scheduled` (waiting for one of X's 2
 * recovery slots), `started`, `completed` (with `posts` recovered),
 * `failed` (`error`; those posts were not recovered) or `unrecoverable`
 * (older than X's 24 hours: lost, said here rather than silently).
 */
export interface RecoveryEvent {
  type: 'recovery';
  phase: 'scheduled' | 'started' | 'completed' | 'failed' | 'unrecoverable';
  startTime: number;
  endTime: number;
  /** Posts the recovery request returned (before dedupe), on `completed` and `failed`. */
  posts?: number;
  error?: BirdstreamError;
}

/**
 * Where the `budget` stands (option `budget`): after delivered posts, at
 * most once per second of clock time, and always at the warning and at the
 * limit. The same figures are in `stream.stats.usage`.
 */
export interface UsageEvent {
  type: 'usage';
  usage: BudgetUsage;
}

/** The budget's `warnAt` share was reached (once per period). */
export interface BudgetWarningEvent {
  type: 'budget-warning';
  usage: BudgetUsage;
}

/**
 * How far behind the stream is over the last interval (option `lag`, every
 * `lag.intervalMs` at most). The same figures are in `stream.stats.lag`.
 */
export interface LagEvent {
  type: 'lag';
  lag: LagStat;
}

/**
 * The stream started falling behind: posts arrive old, or the consumer
 * holds messages so long that X's buffer for this connection fills, and X
 * disconnects readers that stay too slow (losing what it buffered).
 * Decouple reading from processing (a queue and workers) or speed up the
 * consumer.
 */
export interface FallingBehindEvent {
  type: 'falling-behind';
  reason: FallingBehindReason;
  lag: LagStat;
}

/** The stream had been falling behind and has caught up. */
export interface CaughtUpEvent {
  type: 'caught-up';
  lag: LagStat;
}

/**
 * `reclaimStaleConnections`: on a 429 TooManyConnections the stream listed
 * the app's active connections to its endpoint and killed the stale ones
 * (connected before this stream started and not kept by your `keep`).
 * With at least one killed, it reconnects at once; otherwise (none stale,
 * or listing/killing failed: `error`) it waits per X's policy, and the
 * `reconnecting` event that follows says how long.
 */
export interface ReclaimedEvent {
  type: 'reclaimed';
  /** X's result per connection the stream tried to kill (`success`, `uuid`, `error_message`). */
  killed: readonly KillResult[];
  /** Active connections listed and left alone (newer than this stream, or kept by `keep`). */
  kept: number;
  /** What was done and why, in one sentence. */
  reason: string;
  /** Listing or killing failed (never fatal by itself: the stream backs off). */
  error?: BirdstreamError;
}

/** The `type` of a lifecycle event (`'connected'`, `'reconnecting'`, …): the names `stream.on()` takes. */
export type StreamLifecycleEventType = StreamLifecycleEvent['type'];

/** Listener per event type, for the `on` option. */
export type StreamEventHandlers = {
  [K in StreamLifecycleEventType]?: (event: Extract<StreamLifecycleEvent, { type: K }>) => void;
};
