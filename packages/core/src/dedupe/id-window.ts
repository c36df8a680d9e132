/**
 * Default number of post ids an `IdWindow` remembers.
 * @deprecated A count does not cover a backfill at high rates; use
 * `TimedIdWindow` (sized by time, `DEFAULT_DEDUPE_RETAIN_MS`).
 */
export const DEFAULT_DEDUPE_WINDOW = 10_000;

/**
 * A bounded memory of the most recent ids: `seen(id)` answers whether `id`
 * was recorded among the last `size` distinct ids, and records it. The
 * oldest id is forgotten first (a ring buffer beside a Set: O(1) per call,
 * memory fixed at `size` ids).
 *
 * @deprecated Sized by count, it silently forgets ids a backfill re-sends
 * once more than `size` posts arrive within the backfill window (above ~33
 * posts/s for 5 minutes at the default). Use `TimedIdWindow`, which remembers
 * every id for a duration and reports when its memory bound is hit.
 */
export class IdWindow {
  readonly size: number;
  private readonly ids = new Set<string>();
  private readonly ring: (string | undefined)[];
  private next = 0;

  constructor(size: number = DEFAULT_DEDUPE_WINDOW) {
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`The dedupe window must be a positive integer, got ${size}.`);
    }
    this.size = size;
    this.ring = new Array<string | undefined>(size);
  }

  /** True when `id` is among the remembered ids; otherwise remembers it and returns false. */
  seen(id: string): boolean {
    if (this.ids.has(id)) return true;
    const evicted = this.ring[this.next];
    if (evicted !== undefined) this.ids.delete(evicted);
    this.ring[this.next] = id;
    this.next = (this.next + 1) % this.size;
    this.ids.add(id);
    return false;
  }

  /** How many ids are remembered now (at most `size`). */
  get count(): number {
    return this.ids.size;
  }
}
