// @ts-check
/**
 * The consumer-side checker every consumer feeds with the posts its library
 * delivers, so all consumers do the same (small) work per post: read the
 * index from `data.id`, hash `id` + `text`, compare with the corpus.
 *
 * - intact: a post whose digest matches the corpus, first time seen;
 * - corrupted: a delivered object that is not an intact post of the corpus
 *   (no id/text, unknown id, wrong digest, e.g. a mangled emoji);
 * - duplicates: an intact post delivered again;
 * - lost: posts of the corpus never delivered intact.
 *
 * The end marker (the post after the last, index `expected`) ends the run
 * without being counted.
 */
import { monotonicMs } from './clock.mjs';
import { foldChecksum, indexOfId, postDigest } from './digest.mjs';

export class Tally {
  /**
   * @param {Uint32Array} digests expected digest per corpus index
   * @param {boolean} stampTimes record when each post was held (latency runs)
   */
  constructor(digests, stampTimes) {
    this.digests = digests;
    this.expected = digests.length;
    this.seen = new Uint8Array(digests.length);
    this.receivedAt = stampTimes ? new Float64Array(digests.length) : undefined;
    this.count = 0;
    this.intact = 0;
    this.corrupted = 0;
    this.duplicates = 0;
    this.checksum = 0;
    this.lastAt = 0;
    /** @type {(() => void) | undefined} called once every post is held, or at the end marker */
    this.onComplete = undefined;
  }

  /** @param {unknown} message a parsed stream message as the library delivers it */
  add(message) {
    const data = /** @type {{ data?: { id?: unknown, text?: unknown } } | null} */ (message)?.data;
    const id = data?.id;
    const text = data?.text;
    const index = indexOfId(id);
    if (index === this.expected) {
      this.onComplete?.();
      return;
    }
    this.count++;
    if (index < 0 || index >= this.expected || typeof text !== 'string') {
      this.corrupted++;
      return;
    }
    const digest = postDigest(/** @type {string} */ (id), text);
    if (digest !== this.digests[index]) {
      this.corrupted++;
      return;
    }
    if (this.seen[index]) {
      this.duplicates++;
      return;
    }
    this.seen[index] = 1;
    this.intact++;
    this.checksum = foldChecksum(this.checksum, digest);
    this.lastAt = monotonicMs();
    if (this.receivedAt) this.receivedAt[index] = this.lastAt;
    if (this.intact === this.expected) this.onComplete?.();
  }
}
