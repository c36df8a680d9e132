// @ts-check
/**
 * What "correct" means, shared by the corpus (expected values) and every
 * consumer (observed values): a post's identity is its index in the corpus,
 * read back from its 19-digit snowflake id, and its content is a 32-bit
 * FNV-1a hash of `id` + NUL + `text` (UTF-16 code units, so a replaced or
 * split multibyte character changes it).
 */

/** The first post id of every corpus (a real 2021 snowflake). */
export const FIRST_ID = 1377650090978992134n;
/** Snowflake ids put the millisecond above bit 22: one post per millisecond. */
export const ID_STRIDE = 1n << 22n;

/**
 * @param {number} index
 * @param {number} low bits below the timestamp (worker and sequence), < 2^22
 */
export function idForIndex(index, low) {
  return (FIRST_ID + BigInt(index) * ID_STRIDE + BigInt(low)).toString();
}

/**
 * The corpus index of a post id, or -1 when the id is not one of ours.
 * @param {unknown} id
 */
export function indexOfId(id) {
  if (typeof id !== 'string' || id.length !== 19) return -1;
  let value;
  try {
    value = BigInt(id);
  } catch {
    return -1;
  }
  const offset = value - FIRST_ID;
  if (offset < 0n) return -1;
  return Number(offset / ID_STRIDE);
}

/**
 * FNV-1a over `id`, a NUL and `text`.
 * @param {string} id
 * @param {string} text
 */
export function postDigest(id, text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash = Math.imul(hash, 0x01000193);
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Folds digests in delivery order into one checksum (order-sensitive).
 * @param {number} checksum
 * @param {number} digest
 */
export function foldChecksum(checksum, digest) {
  return (Math.imul(checksum ^ digest, 0x01000193) + 0x9e3779b9) >>> 0;
}
