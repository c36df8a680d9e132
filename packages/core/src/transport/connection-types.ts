import type { Framing } from '../decode/framing-decoder.js';
import type { ValidationMode } from '../decode/message-parser.js';
import type { Drift } from '../decode/tolerant-reader.js';
import type { UnrecognizedMessage } from '../decode/unrecognized-message.js';
import type { PayloadError } from '../errors/payload-error.js';
import type { RateLimitInfo } from '../http/rate-limit.js';

/**
 * One item read from a single stream connection.
 * - `response`: a parsed stream message. Usually a post (`data` set); an
 *   error-only message (for example an `operational-disconnect`, see
 *   `isOperationalDisconnect`) arrives here too, with `errors` and no `data`.
 *   With `validate: 'tolerant'`, `drift` lists what was coerced or set aside
 *   to deliver it typed (see `driftOf`).
 * - `keep-alive`: X's heartbeat (`\r\n`), at least every 20 s.
 * - `payload-invalid`: a message that was not JSON, too large, or (with
 *   `validate: 'strict'`) did not match the schema. It was skipped; the
 *   connection goes on.
 * - `unrecognized` (`validate: 'tolerant'`): a JSON message that cannot be
 *   delivered as the stream's type (no `data`/`errors`, identity missing,
 *   a required field off its type), as X sent it, with the issues.
 */
export type ConnectionMessage<R> =
  | { type: 'response'; response: R; drift?: Drift[] }
  | { type: 'keep-alive' }
  | { type: 'payload-invalid'; error: PayloadError }
  | { type: 'unrecognized'; unrecognized: UnrecognizedMessage };

/** Options of `StreamClient.connect()`: one connection, no retry, no watchdog. */
export interface ConnectOptions {
  /** Aborts the request, or ends the iteration quietly once connected. */
  signal?: AbortSignal;
  /**
   * `'tolerant'` delivers every message whose identity is intact, typed, with
   * its drift (coerced or set aside; `driftOf`), and the rest as
   * `unrecognized`; `'strict'` checks every message against the zod schemas
   * and reports a non-conforming one as `payload-invalid`; `'off'` only
   * parses JSON (fastest).
   * @default 'tolerant'
   */
  validate?: ValidationMode;
  /**
   * Largest message accepted, in bytes. A longer one is reported as
   * `payload-invalid` (kind `oversize`) without being buffered, and the
   * decoder resynchronises at the next `\r\n`.
   * @default 16 MiB (the decoder's default)
   */
  maxMessageBytes?: number;
  /**
   * Sends `backfill_minutes` (1–5, Enterprise) with this request, overriding
   * the value in `params`.
   */
  backfillMinutes?: number;
  /**
   * Called for every network read, before decoding, with the number of
   * body bytes it brought (after decompression): a keep-alive or a fragment
   * of a post proves the connection alive. A stall watchdog hooks in here,
   * and the stream's `stats.bytes` counts them.
   */
  onBytes?: (bytes: number) => void;
  /**
   * Called whenever a complete frame was decoded (a message, a keep-alive or
   * an invalid/oversize message). A connection that calls `onBytes` but not
   * `onFrame` for a whole stall window receives bytes it cannot cut into
   * messages: report it (`bytesWithoutMessage` says how many) instead of
   * waiting in silence.
   */
  onFrame?: () => void;
}

export type { Framing } from '../decode/framing-decoder.js';

/**
 * One open HTTP connection to a stream endpoint: the status was 200 and the
 * body can be read. Iterate it once; iteration ends normally when the server
 * ends the body or after `close()`, and throws `ConnectionError` (with
 * `cause`) when the body fails (network drop, HTTP/2 reset).
 */
export interface StreamConnection<R> extends AsyncIterable<ConnectionMessage<R>> {
  /** The request URL (never contains credentials). */
  readonly url: string;
  /** The HTTP status (200). */
  readonly status: number;
  /** Response headers, credentials removed. */
  readonly headers: Record<string, string>;
  /** `x-rate-limit-*` of the response (on stream endpoints they count connection attempts). */
  readonly rateLimit: RateLimitInfo | undefined;
  /** Aborts the request and releases the socket at once. Safe to call more than once. */
  close(): Promise<void>;
  /**
   * The framing detected from the first bytes (`undefined` until a line
   * ended). Optional for other implementations.
   */
  readonly framing?: Framing | undefined;
  /**
   * Bytes received since the last complete frame (0 right after one). With
   * `onFrame`, what a driver needs to report a connection that receives
   * bytes but no message (`bytes-without-message`).
   */
  readonly bytesWithoutMessage?: number;
  /**
   * Reads every message decoded from the chunks that arrived since the last
   * call, at least one; resolves `null` once the body ended or the
   * connection was closed, and rejects with `ConnectionError` when the body
   * fails. One promise per batch rather than per message: a driver should
   * prefer it to the async iterator (`for (;;) { const batch = await
   * c.readBatch(); if (!batch) break; for (const m of batch) … }`). Use
   * either this or the iterator, not both. Optional for other
   * implementations (use the iterator when absent).
   */
  readBatch?(): Promise<ConnectionMessage<R>[] | null>;
}
