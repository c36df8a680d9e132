/**
 * HMAC-SHA256 with Web Crypto (`crypto.subtle`), the same on Node 20+, Bun,
 * Deno and workerd: no `node:` import. A key is imported once and reused.
 */

const encoder = new TextEncoder();

/** An HMAC-SHA256 key made from a consumer secret (the secret itself is not kept). */
export type HmacKey = CryptoKey;

function subtle(): SubtleCrypto {
  const webCrypto = (globalThis as { crypto?: Crypto }).crypto;
  if (webCrypto?.subtle === undefined) {
    throw new Error(
      'Web Crypto (globalThis.crypto.subtle) is not available: run on Node 20+, Bun, Deno or a worker runtime.',
    );
  }
  return webCrypto.subtle;
}

/** Imports `secret` (UTF-8) as an HMAC-SHA256 signing key. */
export function importHmacKey(secret: string): Promise<HmacKey> {
  return subtle().importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
}

/** HMAC-SHA256 of some bytes (or text as UTF-8) under one key, at once or as a promise. */
export type KeyedHmac = (data: Uint8Array | string) => Uint8Array | Promise<Uint8Array>;

/**
 * A faster HMAC-SHA256 for a key than Web Crypto's, where the runtime has one
 * (node:crypto's `createHmac`, given by `@birdstream/webhooks/node`), or
 * `undefined` when it cannot take this key (Web Crypto then stays in use).
 */
export type FastHmacFactory = (
  key: HmacKey,
) => ((data: Uint8Array | string) => Uint8Array) | undefined;

/** HMAC-SHA256 of `data` (bytes, or text as UTF-8) under `key`: 32 bytes. */
export async function hmacSha256(key: HmacKey, data: Uint8Array | string): Promise<Uint8Array> {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  return new Uint8Array(await subtle().sign('HMAC', key, bytes as Uint8Array<ArrayBuffer>));
}
