import { ConfigError } from '../errors/config-error.js';
import { resolveBearerToken } from '../http/bearer-token.js';
import type { Clock } from '../time/clock.js';

/** Options of `new StreamClient()`. */
export interface StreamClientOptions {
  /**
   * An OAuth 2.0 app-only bearer token (developer portal → your App → Keys
   * and tokens). Surrounding whitespace and a leading `Bearer ` are removed
   * (see `normalizeBearerToken`); spaces or control characters inside are a
   * `ConfigError`. It is sent
   * only in the `Authorization` header and never appears in errors, events,
   * URLs or `JSON.stringify` output. When omitted (or `undefined`), it is
   * read from the `X_BEARER_TOKEN` environment variable, then
   * `TWITTER_BEARER_TOKEN` (Node only); with neither, the constructor
   * throws `ConfigError`.
   * @default process.env.X_BEARER_TOKEN ?? process.env.TWITTER_BEARER_TOKEN
   */
  bearerToken?: string | undefined;
  /**
   * The API origin, optionally with a path prefix for a proxy or an
   * emulator. When omitted, the `BIRDSTREAM_BASE_URL` environment variable
   * is used if set (Node only).
   * @default process.env.BIRDSTREAM_BASE_URL ?? 'https://api.x.com'
   */
  baseUrl?: string | undefined;
  /**
   * Your product token, sent before birdstream's own in `User-Agent`
   * (`my-app/1.2 birdstream/0.1.0`). X asks clients to identify themselves.
   */
  userAgent?: string;
  /** Time source for timeouts, back-off waits and the stall watchdog; tests pass a virtual clock. @default systemClock */
  clock?: Clock;
  /**
   * The fetch implementation (for example undici's `fetch` with a proxy
   * dispatcher). It must support streamed response bodies.
   * @default globalThis.fetch
   */
  fetch?: typeof globalThis.fetch;
  /**
   * How long to wait for the response headers of a connection attempt. The
   * body of a stream has no timeout: the stall watchdog (`stallTimeoutMs`)
   * watches it instead.
   * @default 10_000
   */
  connectTimeoutMs?: number;
  /**
   * Ask X to gzip the stream (`Accept-Encoding: gzip`); fetch inflates it.
   * Posts are JSON and shrink about 5–10×, which matters far more than the
   * CPU spent inflating on all but LAN-fast links. `false` sends
   * `Accept-Encoding: identity`. See decisions/0004.
   * @default true
   */
  compression?: boolean;
}

/** Default `connectTimeoutMs`. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

const USER_AGENT_PATTERN = /^[\x20-\x7e]*$/;

/**
 * Checks the bearer token (`undefined`: the one in the environment) with
 * core's one contract (`resolveBearerToken`) and returns it without a
 * `Bearer ` prefix. The token itself never appears in the error messages.
 */
export function checkBearerToken(option: unknown): string {
  return resolveBearerToken(option);
}

export function checkUserAgent(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !USER_AGENT_PATTERN.test(value)) {
    throw new ConfigError('userAgent must be printable ASCII text such as "my-app/1.2".');
  }
  return value;
}

export function checkConnectTimeout(value: unknown): number {
  if (value === undefined) return DEFAULT_CONNECT_TIMEOUT_MS;
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new ConfigError(`connectTimeoutMs must be a positive number, got ${String(value)}.`);
  }
  return value;
}
