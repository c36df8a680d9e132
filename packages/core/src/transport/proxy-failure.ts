/**
 * Which hop of a proxied connection failed:
 * - `proxy-unreachable`: the proxy itself could not be reached (refused, DNS, timeout);
 * - `proxy-auth`: the proxy refused its credentials (407);
 * - `proxy-upstream`: the proxy is up but could not reach the API (502, 503, 504 to `CONNECT`);
 * - `proxy-refused`: the proxy does not allow the tunnel (another status, such as 403).
 */
export type ProxyHop = 'proxy-unreachable' | 'proxy-auth' | 'proxy-upstream' | 'proxy-refused';

/** What to check per hop, in SDK words. */
const PROXY_HINTS: Record<ProxyHop, string> = {
  'proxy-unreachable':
    'Check that the proxy runs at that address (the proxy option, or HTTPS_PROXY/HTTP_PROXY with proxy: "env"); the API itself was never tried.',
  'proxy-auth': 'Check the user and password in the proxy URL.',
  'proxy-upstream':
    'The proxy is up but cannot reach the API: check its own network access to that host (firewall, DNS, allow-list).',
  'proxy-refused': 'The proxy does not allow this tunnel: check its access rules for that host.',
};

/** The advice for a failed proxy hop (`FirstConnectionError.hint` unless a caller gave its own). */
export function proxyHint(hop: ProxyHop): string {
  return PROXY_HINTS[hop];
}

/**
 * A proxied connection failed at the proxy: it could not be reached,
 * refused its credentials, could not reach the API, or refused the tunnel.
 * Its `message` names the proxy (origin only, never credentials) and the
 * hop; `hop` says which; `status` is the proxy's answer, if it gave one.
 */
export class ProxyConnectError extends Error {
  /** Read by `unreachableCause` (any code holding "PROXY" means the proxy). */
  readonly code = 'ERR_BIRDSTREAM_PROXY';
  readonly hop: ProxyHop;
  /** The proxy's origin, `http://host:port`. */
  readonly proxy: string;
  readonly status: number | undefined;

  constructor(
    failure: { hop: ProxyHop; proxy: string; target: string; status?: number },
    cause?: unknown,
  ) {
    super(proxyFailureWords(failure, cause), cause === undefined ? undefined : { cause });
    this.name = 'ProxyConnectError';
    this.hop = failure.hop;
    this.proxy = failure.proxy;
    this.status = failure.status;
  }
}

function proxyFailureWords(
  failure: { hop: ProxyHop; proxy: string; target: string; status?: number },
  cause: unknown,
): string {
  const at = `the proxy at ${failure.proxy}`;
  switch (failure.hop) {
    case 'proxy-unreachable': {
      const code = (cause as { code?: unknown } | undefined)?.code;
      return `${at} could not be reached${typeof code === 'string' ? ` (${code})` : ''}`;
    }
    case 'proxy-auth':
      return `${at} refused its credentials (HTTP 407 Proxy Authentication Required)`;
    case 'proxy-upstream':
      return `${at} could not reach ${failure.target} (HTTP ${failure.status} from the proxy)`;
    case 'proxy-refused':
      return `${at} refused the tunnel to ${failure.target} (HTTP ${failure.status})`;
  }
}

/** The hop a `CONNECT` answer other than 200 means. */
export function hopOfConnectStatus(status: number | undefined): ProxyHop {
  if (status === 407) return 'proxy-auth';
  if (status === 502 || status === 503 || status === 504) return 'proxy-upstream';
  return 'proxy-refused';
}

/** Socket errors that mean the proxy's address did not answer (before any HTTP). */
const UNREACHABLE =
  /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EAI_NONAME|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)$/;

/** True for an error of a socket that never reached the proxy. */
export function isUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && UNREACHABLE.test(code);
}

/** The `ProxyConnectError` in an error's `cause` chain (any copy of core), if any. */
export function proxyFailureOf(error: unknown): ProxyConnectError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    if ((current as { name?: unknown }).name === 'ProxyConnectError') {
      return current as ProxyConnectError;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
