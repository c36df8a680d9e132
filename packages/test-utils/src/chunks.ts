/**
 * Helpers that cut a byte stream into chunks, the way a network would: at
 * every possible point, at fixed sizes, or at points chosen by fast-check.
 * Decoders must give the same result for any chunking.
 */
import fc from 'fast-check';

/** Joins byte arrays into one. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Cuts `bytes` at the given offsets (sorted, deduplicated, offsets outside
 * `1 … length-1` ignored). Chunks are copies, so a decoder cannot rely on
 * them sharing one buffer.
 */
export function splitAt(bytes: Uint8Array, offsets: readonly number[]): Uint8Array[] {
  const cuts = [...new Set(offsets)]
    .filter((offset) => offset > 0 && offset < bytes.length)
    .sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const cut of cuts) {
    chunks.push(bytes.slice(start, cut));
    start = cut;
  }
  chunks.push(bytes.slice(start));
  return chunks;
}

/** Every way to cut `bytes` in two: `[bytes[0, i), bytes[i, n)]` for each `i` in `1 … n-1`. */
export function* everySplit(bytes: Uint8Array): Generator<[Uint8Array, Uint8Array], void> {
  for (let i = 1; i < bytes.length; i++) yield [bytes.slice(0, i), bytes.slice(i)];
}

/** Cuts `bytes` into chunks of `size` bytes (the last may be shorter); `1` gives one byte per chunk. */
export function chunksOfSize(bytes: Uint8Array, size: number): Uint8Array[] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError('size must be a positive integer');
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.slice(i, i + size));
  return chunks;
}

/**
 * A fast-check arbitrary of chunkings of a stream of `length` bytes: the
 * cut offsets to pass to {@link splitAt}. It covers one chunk, one byte per
 * chunk and everything between, and shrinks towards fewer cuts.
 */
export function arbitraryCuts(length: number): fc.Arbitrary<number[]> {
  if (length < 2) return fc.constant([]);
  const offset = fc.integer({ min: 1, max: length - 1 });
  return fc.oneof(
    { weight: 6, arbitrary: fc.uniqueArray(offset, { maxLength: Math.min(length - 1, 64) }) },
    { weight: 1, arbitrary: fc.constant(Array.from({ length: length - 1 }, (_, i) => i + 1)) },
    {
      weight: 2,
      arbitrary: fc
        .integer({ min: 1, max: Math.max(1, Math.min(length, 64)) })
        .map((size) => Array.from({ length: Math.ceil(length / size) }, (_, i) => i * size)),
    },
  );
}
