import { type Clock, systemClock } from '../time/clock.js';

/**
 * How long a stream remembers a post id by default: X's backfill window
 * (5 minutes, `backfill_minutes` ≤ 5) plus one minute of margin for the
 * reconnect that precedes a backfill.
 */
export const DEFAULT_DEDUPE_RETAIN_MS = 6 * 60_000;

/**
 * The hard memory bound of a dedupe window by default: 2,000,000 ids. With
 * the default 6-minute retention that covers about 5,500 posts/s before the
 * bound is reached (about 360 MB at the measured ~180 bytes per id).
 */
export const DEFAULT_DEDUPE_MAX_IDS = 2_000_000;

/** Reported once when a `TimedIdWindow` starts forgetting ids before their time. */
export interface DedupeOverflow {
  /** The hard bound that was reached. */
  readonly maxIds: number;
  /** How long ids should have been remembered. */
  readonly retainMs: number;
  /**
   * How long the forgotten id had been remembered: the window only covers
   * this much time now, so a post re-sent later than this is delivered again.
   */
  readonly coveredMs: number;
}

/** Options of a `TimedIdWindow`. */
export interface TimedIdWindowOptions {
  /**
   * How long every id is remembered, in milliseconds. Cover the longest
   * period whose posts can be re-sent: X's backfill (5 minutes) or, when you
   * run a recovery, the recovery's period.
   * @default DEFAULT_DEDUPE_RETAIN_MS (6 minutes)
   */
  retainMs?: number;
  /**
   * Hard bound on the ids remembered. When it is reached before ids are old
   * enough to go, the oldest is forgotten early and `onOverflow` is called.
   * @default DEFAULT_DEDUPE_MAX_IDS (2,000,000)
   */
  maxIds?: number;
  /** Where the time comes from (only `now()` is used). @default systemClock */
  clock?: Pick<Clock, 'now'>;
  /**
   * Called when the bound forces the window to forget an id younger than
   * `retainMs`; called again only after the window recovered (an id left by
   * age). Turn it into an event or a metric: duplicates may follow.
   * @default undefined
   */
  onOverflow?: (overflow: DedupeOverflow) => void;
}

/**
 * A memory of post ids sized by time: `seen(id)` answers whether `id` was
 * recorded in the last `retainMs` milliseconds, and records it. Whatever the
 * rate, every id is remembered at least `retainMs` after it was first seen,
 * unless the hard bound `maxIds` is reached — then the oldest id goes early,
 * `overflowed` becomes true and `onOverflow` reports it (never silently).
 *
 * Ids leave in the order they came (a queue beside a Set): O(1) amortised per
 * call. Memory: about 180 bytes per remembered id at a steady rate (Node 20,
 * 19-digit ids, the id string, the Set entry and the queue's slack; measured
 * with `node --expose-gc scripts/measure-dedupe-memory.mjs`), so per 1,000
 * posts/s the default 6 minutes hold 360,000 ids ≈ 65 MB. Memory scales
 * linearly with the rate and the retention and never exceeds `maxIds` ids.
 */
export class TimedIdWindow {
  readonly retainMs: number;
  readonly maxIds: number;
  private readonly clock: Pick<Clock, 'now'>;
  private readonly onOverflow: ((overflow: DedupeOverflow) => void) | undefined;
  private readonly ids = new Set<string>();
  // The queue: ids and the time each was first seen, oldest at `head`.
  private queueIds: string[] = [];
  private queueTimes: number[] = [];
  private head = 0;
  private overflowing = false;
  private overflowCount = 0;
  /** The `since` of every active `hold()`: ids first seen at or after the earliest are kept. */
  private readonly holds: number[] = [];

  constructor(options: TimedIdWindowOptions = {}) {
    const retainMs = options.retainMs ?? DEFAULT_DEDUPE_RETAIN_MS;
    if (typeof retainMs !== 'number' || !Number.isFinite(retainMs) || retainMs <= 0) {
      throw new RangeError(
        `The dedupe retention must be a finite number of milliseconds above 0, got ${String(retainMs)}.`,
      );
    }
    const maxIds = options.maxIds ?? DEFAULT_DEDUPE_MAX_IDS;
    if (!Number.isInteger(maxIds) || maxIds < 1) {
      throw new RangeError(`The dedupe bound maxIds must be a positive integer, got ${maxIds}.`);
    }
    this.retainMs = retainMs;
    this.maxIds = maxIds;
    this.clock = options.clock ?? systemClock;
    this.onOverflow = options.onOverflow;
  }

  /** True when `id` was seen within `retainMs`; otherwise remembers it and returns false. */
  seen(id: string): boolean {
    const now = this.clock.now();
    this.evictOlderThan(now - this.retainMs);
    if (this.ids.has(id)) return true;
    if (this.ids.size >= this.maxIds) this.evictEarly(now);
    this.ids.add(id);
    this.queueIds.push(id);
    this.queueTimes.push(now);
    return false;
  }

  /**
   * Keeps every id first seen at or after `since` (clock time) past
   * `retainMs`, until the returned function is called: for a replay that
   * redelivers posts older than the retention, such as a recovery of a long
   * outage. `maxIds` still bounds memory (an overflow is reported as usual).
   * Calling the release function more than once does nothing.
   */
  hold(since: number): () => void {
    this.holds.push(since);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds.splice(this.holds.indexOf(since), 1);
    };
  }

  /** How many ids are remembered now (at most `maxIds`). */
  get count(): number {
    return this.ids.size;
  }

  /** True while the bound forces ids out before `retainMs`. */
  get overflowed(): boolean {
    return this.overflowing;
  }

  /** How many ids were forgotten before `retainMs` since the window was created. */
  get earlyEvictions(): number {
    return this.overflowCount;
  }

  private evictOlderThan(retention: number): void {
    let cutoff = retention;
    for (const since of this.holds) if (since <= cutoff) cutoff = since - 1;
    let evicted = false;
    while (this.head < this.queueIds.length && (this.queueTimes[this.head] as number) <= cutoff) {
      this.ids.delete(this.queueIds[this.head] as string);
      this.head += 1;
      evicted = true;
    }
    if (evicted) {
      this.overflowing = false;
      this.compact();
    }
  }

  private evictEarly(now: number): void {
    const since = this.queueTimes[this.head] as number;
    this.ids.delete(this.queueIds[this.head] as string);
    this.head += 1;
    this.overflowCount += 1;
    this.compact();
    if (this.overflowing) return;
    this.overflowing = true;
    this.onOverflow?.({ maxIds: this.maxIds, retainMs: this.retainMs, coveredMs: now - since });
  }

  // Drops the consumed front of the queue once it is at least half of it:
  // each id is copied at most once per halving, so O(1) amortised.
  private compact(): void {
    if (this.head < 1024 || this.head * 2 < this.queueIds.length) return;
    this.queueIds = this.queueIds.slice(this.head);
    this.queueTimes = this.queueTimes.slice(this.head);
    this.head = 0;
  }
}
