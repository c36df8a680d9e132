/**
 * OpenSSL's own words in a TLS error, as Node passes them on:
 * `…:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/…`.
 */
const OPENSSL_REASON = /error:[0-9A-F]+:SSL routines:[^:]*:([^:\n]+)/i;

/** The reason OpenSSL gave for a TLS failure in an error's messages or cause chain, if any. */
export function tlsReason(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    const message = (current as { message?: unknown }).message;
    const match = typeof message === 'string' ? OPENSSL_REASON.exec(message) : null;
    if (match?.[1]) return match[1].trim();
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
