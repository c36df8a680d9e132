import {
  type FirstConnectionError,
  type ProxyHop,
  proxyFailureOf,
  shortUrl,
  type UnreachableCause,
} from '@birdstream/core';
import { formatDuration, plural } from '../output/format.js';
import { tlsReason } from './tls-reason.js';

/** The advice core puts in `FirstConnectionError.hint`, in CLI words (the CLI prints its own line below). */
export const FIRST_CONNECTION_HINT =
  'Check --base-url (or BIRDSTREAM_BASE_URL), the network, and HTTPS_PROXY/HTTP_PROXY/NO_PROXY (or --proxy).';

/** Why an attempt failed, in a few words. */
export const CAUSE: Record<UnreachableCause, string> = {
  dns: 'the host name does not resolve (DNS)',
  refused: 'the connection was refused',
  tls: 'the TLS handshake failed',
  timeout: 'the connection timed out',
  proxy: 'the proxy failed',
  reset: 'the connection was reset',
  unknown: 'the connection failed',
};

const CHECK: Record<UnreachableCause, string> = {
  dns: 'check the host in --base-url (or BIRDSTREAM_BASE_URL) and that this machine is online',
  refused: 'check that a server runs on the host and port of --base-url (or BIRDSTREAM_BASE_URL)',
  tls: 'check that --base-url uses https with a valid certificate (http for a local emulator)',
  timeout:
    'check the network path (firewall) and, if this machine needs a proxy, HTTPS_PROXY or --proxy',
  proxy:
    'check the proxy (--proxy, HTTPS_PROXY or HTTP_PROXY): its URL, that it runs, and its credentials',
  reset:
    'check --base-url, the network path (firewall) and any proxy (HTTPS_PROXY, HTTP_PROXY, --proxy)',
  unknown: 'check --base-url (or BIRDSTREAM_BASE_URL), the network, and HTTPS_PROXY or --proxy',
};

/** What to check when a proxy's hop failed: the proxy, never the API's URL. */
const PROXY_CHECK: Record<ProxyHop, string> = {
  'proxy-unreachable':
    'check that the proxy runs at that address (--proxy, HTTPS_PROXY or HTTP_PROXY); the API itself was never tried',
  'proxy-auth': 'check the user and password in --proxy or HTTPS_PROXY/HTTP_PROXY',
  'proxy-upstream':
    "the proxy runs but cannot reach the API: check the proxy's own network access to that host (firewall, DNS, allow-list)",
  'proxy-refused': "the proxy does not allow this tunnel: check the proxy's access rules",
};

/**
 * The one line `birdstream stream` prints when the stream never connected:
 * the URL tried (and the proxy, without credentials), the cause, the bound
 * that ended it and what to check, naming the CLI's flags and variables.
 */
export function describeFirstConnection(
  error: FirstConnectionError,
  proxyOrigin: string | undefined,
): string {
  const via = proxyOrigin === undefined ? '' : ` via the proxy ${proxyOrigin}`;
  // A failed proxy hop is named as such (the proxy refused, asked for credentials, or could not
  // reach the API), with what to check there, rather than blamed on --base-url.
  const proxy = proxyFailureOf(error);
  const hop = error.proxyHop ?? proxy?.hop;
  const tls = error.reason === 'tls' ? tlsReason(error) : undefined;
  const cause =
    proxy?.message ?? (tls === undefined ? CAUSE[error.reason] : `${CAUSE.tls} (${tls})`);
  const check = hop === undefined ? CHECK[error.reason] : PROXY_CHECK[hop];
  return (
    `Could not connect to ${shortUrl(error.url, 'the stream')}${via}: ${cause}. ` +
    `Gave up after ${plural(error.attempts, 'attempt')} over ${formatDuration(error.elapsedMs)} without ever connecting ` +
    `(--connect-attempts, --connect-timeout-total): ${check}.`
  );
}
