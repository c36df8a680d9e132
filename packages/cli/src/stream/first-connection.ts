import { type FirstConnectionError, shortUrl, type UnreachableCause } from '@birdstream/core';
import { formatDuration, plural } from '../output/format.js';

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
  refused: 'check --base-url (or BIRDSTREAM_BASE_URL): is a server running on that host and port?',
  tls: 'check that --base-url uses https with a valid certificate (http for a local emulator)',
  timeout:
    'check the network path (firewall) and, if this machine needs a proxy, HTTPS_PROXY or --proxy',
  proxy:
    'check the proxy (--proxy, HTTPS_PROXY or HTTP_PROXY): its URL, that it runs, and its credentials',
  reset:
    'check --base-url, the network path (firewall) and any proxy (HTTPS_PROXY, HTTP_PROXY, --proxy)',
  unknown: 'check --base-url (or BIRDSTREAM_BASE_URL), the network, and HTTPS_PROXY or --proxy',
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
  const proxyNote =
    proxyOrigin !== undefined && error.reason === 'refused'
      ? '; with a proxy, a refused connection usually means the proxy is not running: check --proxy or HTTPS_PROXY/HTTP_PROXY'
      : '';
  return (
    `Could not connect to ${shortUrl(error.url, 'the stream')}${via}: ${CAUSE[error.reason]}. ` +
    `Gave up after ${plural(error.attempts, 'attempt')} over ${formatDuration(error.elapsedMs)} without ever connecting ` +
    `(--connect-attempts, --connect-timeout-total): ${CHECK[error.reason]}${proxyNote}.`
  );
}
