import { ConfigError } from '../errors/config-error.js';
import type { Clock } from '../time/clock.js';
import type { TransportOption } from '../transport/create-transport.js';
import type { ProxyOption } from '../transport/proxy.js';

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
   * A fetch implementation to send requests with instead of the Node
   * transport (for instrumentation, or a runtime's own fetch). It must
   * support streamed response bodies. Passing it selects the fetch
   * transport.
   * @default globalThis.fetch (when the fetch transport is used)
   */
  fetch?: typeof globalThis.fetch;
  /**
   * How requests are sent. `'node'`: `node:http`/`node:https` with the
   * client's own connection pool (keep-alive off, so no socket outlives its
   * stream) and zlib inflating gzip as chunks arrive — the fastest on Node.
   * `'fetch'`: ky over `fetch` (any runtime). `'auto'`: `'node'` on Node
   * unless you pass `fetch`, else `'fetch'`. See decisions/0004.
   * @default 'auto'
   */
  transport?: TransportOption;
  /**
   * Send every request through an HTTP proxy (Node transport only):
   * `'http://proxy.local:3128'`, with credentials as
   * `'http://user:password@proxy.local:3128'` (sent only to the proxy, never
   * shown in errors or events); `'env'` reads `HTTPS_PROXY`/`HTTP_PROXY`
   * (or lower-case) and honours `NO_PROXY`. https targets are tunnelled
   * with `CONNECT`, so the proxy never sees the token; plain-http targets
   * (an emulator) are sent to the proxy in absolute form.
   * @default false (no proxy; environment variables are read only with 'env')
   */
  proxy?: ProxyOption;
  /**
   * How long to wait for the response headers of a connection attempt. The
   * body of a stream has no timeout: the stall watchdog (`stallTimeoutMs`)
   * watches it instead.
   * @default 10_000
   */
  connectTimeoutMs?: number;
  /**
   * Ask X to gzip the stream (`Accept-Encoding: gzip`); the transport
   * inflates it (zlib as chunks arrive on Node, fetch elsewhere).
   * Posts are JSON and shrink about 5–10×, which matters far more than the
   * CPU spent inflating on all but LAN-fast links. `false` sends
   * `Accept-Encoding: identity`. See decisions/0004.
   * @default true
   */
  compression?: boolean;
}

/** Default `connectTimeoutMs`. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

export function checkConnectTimeout(value: unknown): number {
  if (value === undefined) return DEFAULT_CONNECT_TIMEOUT_MS;
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new ConfigError(`connectTimeoutMs must be a positive number, got ${String(value)}.`);
  }
  return value;
}
