import type { PayloadError } from '../errors/payload-error.js';
import type { RateLimitInfo } from '../http/rate-limit.js';

/**
 * One item read from a single stream connection.
 * - `response`: a parsed stream message. Usually a post (`data` set); an
 *   error-only message (for example an `operational-disconnect`, see
 *   `isOperationalDisconnect`) arrives here too, with `errors` and no `data`.
 * - `keep-alive`: X's heartbeat (`\r\n`), at least every 20 s.
 * - `payload-invalid`: a message that was not JSON, too large, or (with
 *   `validate: 'strict'`) did not match the schema. It was skipped; the
 *   connection goes on.
 */
export type ConnectionMessage<R> =
  | { type: 'response'; response: R }
  | { type: 'keep-alive' }
  | { type: 'payload-invalid'; error: PayloadError };

/** Options of `StreamClient.connect()`: one connection, no retry, no watchdog. */
export interface ConnectOptions {
  /** Aborts the request, or ends the iteration quietly once connected. */
  signal?: AbortSignal;
  /**
   * `'strict'` checks every message against the zod schemas and reports a
   * non-conforming one as `payload-invalid`; `'off'` only parses JSON (fastest).
   * @default 'strict'
   */
  validate?: 'strict' | 'off';
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
   * Called for every chunk of bytes received, before decoding: a keep-alive
   * or a fragment of a post proves the connection alive. A stall watchdog
   * hooks in here.
   */
  onBytes?: () => void;
}

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
}
