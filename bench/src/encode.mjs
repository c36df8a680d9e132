// @ts-check
/**
 * Turns a plain body and its chunk plan into the buffers the server
 * writes: views of the body for identity; for gzip, one gzip stream in
 * which every chunk is compressed and flushed with `Z_SYNC_FLUSH` (a write
 * is a flush), prepared ahead so the server spends no CPU compressing while
 * a consumer is measured.
 */
import { constants, createGzip, gunzipSync } from 'node:zlib';

/**
 * @param {Buffer} body
 * @param {Uint32Array} ends
 * @returns {Buffer[]}
 */
export function identityChunks(body, ends) {
  /** @type {Buffer[]} */
  const out = new Array(ends.length);
  let start = 0;
  for (let i = 0; i < ends.length; i++) {
    const end = /** @type {number} */ (ends[i]);
    out[i] = body.subarray(start, end);
    start = end;
  }
  return out;
}

/**
 * One gzip stream; each chunk is written, then flushed with `Z_SYNC_FLUSH`,
 * and what zlib emitted up to that flush is that chunk's write.
 * @param {Buffer} body
 * @param {Uint32Array} ends
 * @returns {Promise<Buffer[]>}
 */
export async function gzipChunks(body, ends) {
  const gzip = createGzip();
  /** @type {Buffer[]} */
  let pending = [];
  gzip.on('data', (/** @type {Buffer} */ data) => pending.push(data));
  /** @type {Buffer[]} */
  const out = [];
  for (const chunk of identityChunks(body, ends)) {
    gzip.write(chunk);
    await new Promise((resolve) => gzip.flush(constants.Z_SYNC_FLUSH, () => resolve(undefined)));
    // Let any output queued behind the flush callback be emitted first.
    await new Promise((resolve) => setImmediate(resolve));
    out.push(pending.length === 1 ? /** @type {Buffer} */ (pending[0]) : Buffer.concat(pending));
    pending = [];
  }
  gzip.destroy();
  return out;
}

/**
 * Throws unless the chunks inflate back to `body`.
 * @param {Buffer[]} chunks
 * @param {Buffer} body
 */
export function checkGzip(chunks, body) {
  const plain = gunzipSync(Buffer.concat(chunks), {
    finishFlush: constants.Z_SYNC_FLUSH,
  });
  if (!plain.equals(body))
    throw new Error('The prepared gzip stream does not inflate to the corpus.');
}
