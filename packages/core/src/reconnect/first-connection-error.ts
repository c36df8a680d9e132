import { ConnectionError } from '../errors/connection-error.js';
import { type ProxyHop, proxyFailureOf, proxyHint } from '../transport/proxy-failure.js';

/** Why a connection could not be made, read from the error's `cause` chain (`code`, message). */
export type UnreachableCause =
  | 'dns'
  | 'refused'
  | 'tls'
  | 'timeout'
  | 'proxy'
  | 'reset'
  | 'unknown';

/** What to check, per cause, in SDK words (`baseUrl`, the `fetch` option). */
const SDK_HINTS: Record<UnreachableCause, string> = {
  dns: 'Check the host name of baseUrl and your DNS (is the machine online?).',
  refused: 'Check that baseUrl points at a running server and the port is right.',
  tls: 'Check the TLS setup: baseUrl should use https with a valid certificate (or http for a local emulator).',
  timeout:
    'Check the network path to the host (firewall, proxy) or raise connectTimeoutMs on a slow link.',
  proxy: 'Check the proxy: its URL, that it is running, and its credentials.',
  reset: 'Check the network path to the host: something closed the connection (firewall, proxy).',
  unknown: 'Check baseUrl, the network and any proxy between this machine and the host.',
};

/** The default advice for a cause (`FirstConnectionError.hint` unless a caller supplied its own). */
export function defaultUnreachableHint(cause: UnreachableCause): string {
  return SDK_HINTS[cause];
}

const CODES: ReadonlyArray<[RegExp, UnreachableCause]> = [
  [/^(ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_FAIL)$/, 'dns'],
  [/^ECONNREFUSED$/, 'refused'],
  [/PROXY|^UND_ERR_PROXY/i, 'proxy'],
  [/CERT|TLS|SSL|^ERR_SSL|SELF_SIGNED|UNABLE_TO_VERIFY|^EPROTO$/i, 'tls'],
  [/^(ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT|ESOCKETTIMEDOUT)$/, 'timeout'],
  [/^(ECONNRESET|EPIPE|UND_ERR_SOCKET|ECONNABORTED)$/, 'reset'],
];

/**
 * Reads why a connection attempt failed from the error and its `cause`
 * chain: Node's `code` (`ECONNREFUSED`, `ENOTFOUND`, …) where there is
 * one, else words in the messages (`connectTimeoutMs`, `proxy`, `certificate`).
 */
export function unreachableCause(error: unknown): UnreachableCause {
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      for (const [pattern, cause] of CODES) if (pattern.test(code)) return cause;
    }
    const message = (current as { message?: unknown }).message;
    if (typeof message === 'string') messages.push(message);
    current = (current as { cause?: unknown }).cause;
  }
  const text = messages.join(' ');
  if (/connectTimeoutMs|timed? ?out/i.test(text)) return 'timeout';
  if (/proxy/i.test(text)) return 'proxy';
  if (/certificate|TLS|SSL/i.test(text)) return 'tls';
  if (/ENOTFOUND|getaddrinfo/i.test(text)) return 'dns';
  if (/ECONNREFUSED|refused/i.test(text)) return 'refused';
  return 'unknown';
}

const CAUSE_WORDS: Record<UnreachableCause, string> = {
  dns: 'the host name did not resolve (DNS)',
  refused: 'the connection was refused',
  tls: 'the TLS handshake failed',
  timeout: 'the connection timed out',
  proxy: 'the proxy failed',
  reset: 'the connection was reset',
  unknown: 'the connection failed',
};

/** The URL without query (the token is never in a URL; the query adds noise to a one-line error). */
/**
 * A URL for a message: origin and path only (the query may be long, and
 * never holds anything the reader needs to fix a connection); `fallback`
 * when there is none.
 */
export function shortUrl(url: string | undefined, fallback = 'the stream URL'): string {
  if (url === undefined) return fallback;
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url;
  }
}

/** How long, in words a person reads (`2.5 s`, `2 min 5 s`). */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(2))} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
}

/** What `FirstConnectionError` is built from. */
export interface FirstConnectionFailure {
  /** The URL tried (never carries credentials). */
  url: string | undefined;
  /** Failed attempts before giving up. */
  attempts: number;
  /** Time from the first attempt to giving up, ms. */
  elapsedMs: number;
  /** The last attempt's error (also the `cause`). */
  lastError: unknown;
  /** Advice replacing the SDK's (the CLI passes `--base-url` / `HTTPS_PROXY` wording). */
  hint?: string | undefined;
}

/**
 * A stream that never connected gave up: the server could not be reached
 * within the first-connection bound (`firstConnection` option: attempts and
 * time). It names the URL tried, why it failed (`reason`: DNS, refused, TLS,
 * timeout, proxy, reset) and what to check (`hint`, replaceable by the
 * caller). Once a stream has connected, X's policy retries as usual and this
 * error is never thrown. It is a `ConnectionError` (`isConnectionError`).
 */
export class FirstConnectionError extends ConnectionError {
  override name = 'FirstConnectionError';
  readonly url: string | undefined;
  readonly reason: UnreachableCause;
  readonly attempts: number;
  readonly elapsedMs: number;
  readonly hint: string;
  /**
   * Which hop of a proxied connection failed (`reason` is then `proxy`):
   * the proxy unreachable, its credentials refused (407), the API
   * unreachable from the proxy (502–504), or the tunnel refused.
   */
  readonly proxyHop: ProxyHop | undefined;

  constructor(failure: FirstConnectionFailure) {
    // A failure at the proxy names the proxy and its hop, never blames the API's URL.
    const proxy = proxyFailureOf(failure.lastError);
    const reason = proxy === undefined ? unreachableCause(failure.lastError) : 'proxy';
    const hint =
      failure.hint ?? (proxy === undefined ? defaultUnreachableHint(reason) : proxyHint(proxy.hop));
    const tries = `${failure.attempts} attempt${failure.attempts === 1 ? '' : 's'}`;
    super(
      `Could not connect to ${shortUrl(failure.url)}: ${proxy?.message ?? CAUSE_WORDS[reason]} (${tries} over ${formatDuration(failure.elapsedMs)}; the stream never connected). ${hint}`,
      { cause: failure.lastError },
    );
    this.proxyHop = proxy?.hop;
    this.url = failure.url;
    this.reason = reason;
    this.attempts = failure.attempts;
    this.elapsedMs = failure.elapsedMs;
    this.hint = hint;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      url: this.url,
      reason: this.reason,
      attempts: this.attempts,
      elapsedMs: this.elapsedMs,
      proxyHop: this.proxyHop,
    };
  }
}

/** True for a `FirstConnectionError` (any copy of the package). */
export function isFirstConnectionError(value: unknown): value is FirstConnectionError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { name?: unknown }).name === 'FirstConnectionError' &&
    (value as { code?: unknown }).code === 'connection'
  );
}
