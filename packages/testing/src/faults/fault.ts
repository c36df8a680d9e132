import type { StreamEndpointName } from '@birdstream/core';

/** Which stream a fault applies to (a name of core's endpoint table); by default the first stream connection it meets. */
export type StreamEndpoint = StreamEndpointName;

interface FaultBase {
  /** Only apply to connections of this stream. @default any stream */
  endpoint?: StreamEndpoint;
}

interface InStreamFault extends FaultBase {
  /**
   * Posts to deliver on the connection before the fault strikes. Counted from
   * the moment the fault is armed (injected while connected, or the next
   * connection opening). @default 0 (at once)
   */
  afterPosts?: number;
}

interface ConnectFault extends FaultBase {
  /** How many consecutive connection attempts get this answer. @default 1 */
  count?: number;
}

/**
 * Where chunk boundaries fall (each chunk is one HTTP chunk on the wire):
 * - `byte`: every byte alone;
 * - `utf8`: inside a multi-byte UTF-8 character of each message;
 * - `crlf`: the `\r\n` after each message alone (a lone `\r\n` chunk);
 * - `cr-lf`: between the `\r` and the `\n` (in `sse` framing, between the two `\n` that end an event);
 * - `random`: random sizes (1–64 bytes) that ignore message boundaries;
 * - `coalesce`: several messages in one chunk.
 */
export type SplitMode = 'byte' | 'utf8' | 'crlf' | 'cr-lf' | 'random' | 'coalesce';

/** Re-chunks the stream: boundaries no longer line up with messages. */
export interface SplitFault extends InStreamFault {
  type: 'split';
  mode: SplitMode;
  /** How many messages (posts and keep-alives) to chunk this way. @default every remaining one */
  messages?: number;
}

/** The connection stays open but sends nothing, not even keep-alives, for `ms` of emulated time; then it resumes. */
export interface StallFault extends InStreamFault {
  type: 'stall';
  /** Emulated ms. */
  ms: number;
}

/** Sends half a message, then resets the TCP connection (RST). */
export interface DestroyFault extends InStreamFault {
  type: 'destroy';
}

/** Ends the response cleanly (the terminating HTTP chunk), as a server restart would. */
export interface CloseFault extends InStreamFault {
  type: 'close';
}

/** Sends X's in-band `operational-disconnect` message, then ends the response. */
export interface OperationalDisconnectFault extends InStreamFault {
  type: 'operational-disconnect';
}

/** Drips the stream at `bytesPerSecond` (emulated) for `ms` of emulated time. */
export interface SlowFault extends InStreamFault {
  type: 'slow';
  /** Emulated ms. */
  ms: number;
  /** @default 512 */
  bytesPerSecond?: number;
}

/**
 * The client's socket is torn down without a FIN (as when its process is
 * killed), and the emulator goes on counting the connection, as X does: the
 * next attempt gets 429 `TooManyConnections` until the phantom times out
 * (`phantomTimeoutMs`) or is killed through `DELETE /2/connections…`.
 */
export interface PhantomFault extends InStreamFault {
  type: 'phantom';
}

/** The next connection attempt(s) get 429 `TooManyConnections`, as when X still counts a stale connection. */
export interface TooManyConnectionsFault extends ConnectFault {
  type: 'too-many-connections';
}

/** The next connection attempt(s) get 429 Too Many Requests with `x-rate-limit-remaining: 0`. */
export interface RateLimitFault extends ConnectFault {
  type: 'rate-limit';
  /** When the window resets (`x-rate-limit-reset`), in emulated ms from now. @default 60_000 */
  resetInMs?: number;
}

/** The next connection attempt(s) get 429 `UsageCapExceeded` (a monthly cap: not worth retrying). */
export interface UsageCapFault extends ConnectFault {
  type: 'usage-cap';
}

/** The next connection attempt(s) get a 5xx with an HTML body, as a proxy in front of X sends it. */
export interface ServerErrorFault extends ConnectFault {
  type: 'server-error';
  /** @default 503 */
  status?: 500 | 502 | 503 | 504;
}

/**
 * The stream is down for `ms` of emulated time from the moment the fault is
 * injected: every connection attempt in that time (whatever the client's
 * back-off) gets a 5xx with an HTML body, as during an incident at X. It
 * does not touch an open connection: inject a `destroy` or `close` with it
 * to drop that too.
 */
export interface OutageFault extends FaultBase {
  type: 'outage';
  /** Emulated ms the stream stays unavailable. */
  ms: number;
  /** @default 503 */
  status?: 500 | 502 | 503 | 504;
}

/**
 * The next connection attempt(s) reach the stream `ms` of emulated time
 * late, as through a slow proxy or a congested link: the attempt is
 * answered from then, and X counts a `backfill_minutes` window back from
 * then too, so posts created between the client's decision to reconnect and
 * the late arrival are what its backfill must still reach.
 */
export interface LatencyFault extends ConnectFault {
  type: 'latency';
  /** Emulated ms the attempt takes to arrive. */
  ms: number;
}

/** The next connection attempt(s) get 401, as when the token was revoked. */
export interface UnauthorizedFault extends ConnectFault {
  type: 'unauthorized';
}

/** The next connection is gzip-compressed even if the client did not ask for it. */
export interface GzipFault extends FaultBase {
  type: 'gzip';
}

/** Something going wrong on the wire, on purpose. */
export type Fault =
  | SplitFault
  | StallFault
  | DestroyFault
  | CloseFault
  | OperationalDisconnectFault
  | SlowFault
  | PhantomFault
  | TooManyConnectionsFault
  | RateLimitFault
  | UsageCapFault
  | ServerErrorFault
  | OutageFault
  | LatencyFault
  | UnauthorizedFault
  | GzipFault;

/** A fault's `type` (`'stall'`, `'destroy'`, …). */
export type FaultType = Fault['type'];

/**
 * A fault in a `faults: [...]` script: injected `at` emulated ms after the
 * emulator started, or once a stream reaches the post `atPost`.
 */
export type ScriptedFault = Fault & {
  /** Emulated ms after start. @default 0 */
  at?: number;
  /**
   * Instead of `at`: the fault is injected once a stream connection reaches
   * this item of its timeline (item 0 is the first one created after
   * `startTime`), live or in a backfill replay; a stream fault strikes that
   * connection right after the item. Posts are counted, not time, so one
   * script strikes the same faults at the same posts on any machine, however
   * fast it runs (a recovery job, `start_time`, does not count as reaching).
   * @default undefined (use `at`)
   * @example { type: 'destroy', atPost: 1_000 }
   */
  atPost?: number;
};
