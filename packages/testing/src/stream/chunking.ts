import type { Prng } from '../traffic/prng.js';

const CR = 0x0d;
const LF = 0x0a;

function isContinuation(byte: number | undefined): boolean {
  return byte !== undefined && (byte & 0xc0) === 0x80;
}

/**
 * A cut point inside a multi-byte UTF-8 character, preferring 4-byte
 * characters (emoji sent raw), then 3-byte (CJK, ☕), then 2-byte (é).
 * Falls back to the middle when the message is plain ASCII.
 */
export function utf8CutPoint(bytes: Uint8Array, rng: Prng): number {
  const candidates: number[][] = [[], [], []];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    const size = (b & 0xf8) === 0xf0 ? 4 : (b & 0xf0) === 0xe0 ? 3 : (b & 0xe0) === 0xc0 ? 2 : 0;
    if (size > 0 && isContinuation(bytes[i + 1]))
      (candidates[4 - size] as number[]).push(i + 1 + rng.int(0, size - 2));
  }
  for (const list of candidates) if (list.length > 0) return rng.pick(list);
  return Math.max(1, Math.floor(bytes.length / 2));
}

/**
 * Splits one framed message according to a per-message mode; `terminator`
 * is the length of what ends it (2 for `\r\n`, 1 for a bare `\n`).
 */
export function splitMessage(
  bytes: Uint8Array,
  mode: 'byte' | 'utf8' | 'crlf' | 'cr-lf',
  rng: Prng,
  terminator = 2,
): Uint8Array[] {
  const n = bytes.length;
  switch (mode) {
    case 'byte': {
      const out: Uint8Array[] = [];
      for (let i = 0; i < n; i++) out.push(bytes.subarray(i, i + 1));
      return out;
    }
    case 'crlf':
      return n > terminator
        ? [bytes.subarray(0, n - terminator), bytes.subarray(n - terminator)]
        : [bytes];
    case 'cr-lf':
      // Between the two bytes of a two-byte terminator: `\r` | `\n`, or SSE's `\n` | `\n`.
      return n >= 2 && (bytes[n - 2] === CR || (terminator === 2 && bytes[n - 2] === LF))
        ? [bytes.subarray(0, n - 1), bytes.subarray(n - 1)]
        : [bytes];
    case 'utf8': {
      if (n <= terminator) return [bytes];
      const cut = utf8CutPoint(bytes.subarray(0, n - terminator), rng);
      return [bytes.subarray(0, cut), bytes.subarray(cut)];
    }
  }
}

/** Cuts a run of bytes into random pieces of 1 to `max` bytes, ignoring message boundaries. */
export function splitRandom(bytes: Uint8Array, rng: Prng, max = 64): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    const size = rng.int(1, max);
    out.push(bytes.subarray(at, at + size));
    at += size;
  }
  return out;
}
