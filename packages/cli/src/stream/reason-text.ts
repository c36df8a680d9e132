import { isApiError, proxyFailureOf, unreachableCause } from '@birdstream/core';
import { CAUSE } from './first-connection.js';
import { tlsReason } from './tls-reason.js';

/**
 * An error's message as one readable line for the CLI: whitespace and line
 * breaks folded, OpenSSL's raw text replaced by its reason
 * (`TLS error: wrong version number`), no final period.
 */
export function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const tls = tlsReason(error);
  const text =
    tls === undefined
      ? message
      : message.replace(
          /(?:write |read )?EPROTO[\s\S]*$|[0-9A-F]{8,}:error:[\s\S]*$/,
          `TLS error: ${tls}`,
        );
  return text.replace(/\s+/g, ' ').trim().replace(/\.$/, '');
}

/**
 * Why a connection attempt failed, in a few words: the proxy's hop when a
 * proxy failed (it names the proxy), the API's answer for an HTTP error,
 * else the network cause (with OpenSSL's reason for a TLS failure).
 */
export function attemptFailure(error: unknown): string {
  const proxy = proxyFailureOf(error);
  if (proxy !== undefined) return proxy.message;
  if (isApiError(error)) return oneLine(error);
  const cause = unreachableCause(error);
  const tls = cause === 'tls' ? tlsReason(error) : undefined;
  return tls === undefined ? CAUSE[cause] : `${CAUSE[cause]}: ${tls}`;
}
