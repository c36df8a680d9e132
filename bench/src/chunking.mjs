// @ts-check
/**
 * How the server cuts the body into writes. Each plan is a list of
 * ascending end offsets into the plain body (the last one is its length).
 * With gzip, each plain chunk is compressed and flushed on its own
 * (`Z_SYNC_FLUSH`), so a write is also a flush, as a streaming server does.
 */
import { seededRandom } from './random.mjs';

/** @typedef {'log-uniform' | 'uniform' | 'per-message'} Chunking */

/** @type {readonly Chunking[]} */
export const CHUNKINGS = ['log-uniform', 'uniform', 'per-message'];

/** Largest random chunk: 64 KiB. */
export const MAX_CHUNK = 64 * 1024;

/**
 * @param {Chunking} chunking
 * @param {number} length of the plain body
 * @param {Uint32Array} messageEnds offsets just after each message
 * @param {number} seed
 * @returns {Uint32Array} chunk end offsets
 */
export function chunkEnds(chunking, length, messageEnds, seed) {
  if (chunking === 'per-message') {
    const ends = Array.from(messageEnds);
    if (ends[ends.length - 1] !== length) ends.push(length);
    return Uint32Array.from(ends);
  }
  const random = seededRandom(seed ^ 0x5eed);
  const logMax = Math.log(MAX_CHUNK);
  /** @type {number[]} */
  const ends = [];
  let offset = 0;
  while (offset < length) {
    const size =
      chunking === 'log-uniform'
        ? Math.min(MAX_CHUNK, Math.floor(Math.exp(random() * logMax)))
        : 1 + Math.floor(random() * MAX_CHUNK);
    offset = Math.min(length, offset + Math.max(1, size));
    ends.push(offset);
  }
  return Uint32Array.from(ends);
}
