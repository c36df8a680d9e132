import { fromBase64 } from './base64.js';

/** The header X signs every delivery with: `sha256=` + base64(HMAC-SHA256(consumer secret, raw body)). */
export const SIGNATURE_HEADER = 'x-twitter-webhooks-signature';

/** The scheme prefix of the header's value and of a CRC `response_token`. */
export const SIGNATURE_PREFIX = 'sha256=';

/** Bytes of an HMAC-SHA256. */
export const SIGNATURE_BYTES = 32;

/**
 * The 32 signature bytes of a header value, or `undefined` when the value is
 * not `sha256=<base64 of 32 bytes>` (the prefix in any case; surrounding
 * whitespace ignored).
 */
export function parseSignatureHeader(value: string | null | undefined): Uint8Array | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (trimmed.slice(0, SIGNATURE_PREFIX.length).toLowerCase() !== SIGNATURE_PREFIX) {
    return undefined;
  }
  const bytes = fromBase64(trimmed.slice(SIGNATURE_PREFIX.length));
  return bytes?.length === SIGNATURE_BYTES ? bytes : undefined;
}
