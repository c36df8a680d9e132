/**
 * Whether two byte arrays are equal, in time that depends on their length
 * only: every byte is compared (no early exit), so how long a check of a
 * forged signature takes says nothing about how many of its bytes were right.
 * Lengths are public (an HMAC-SHA256 is always 32 bytes).
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= (a[i] as number) ^ (b[i] as number);
  return difference === 0;
}
