import { hashKeys, STREAM } from './prng.js';

/**
 * When each post of the emulated platform is created. Post `n` is created at
 * a seeded random moment inside the `n`-th slot of `1000 / rate` ms, so
 * arrivals look irregular yet any post's time is computed in O(1), and the
 * timeline can be replayed from any point (backfill).
 */
export class Timeline {
  /** Emulated ms per post on average. */
  readonly period: number;

  constructor(
    private readonly seed: number,
    /** Emulated epoch ms of post 0's slot. */
    readonly startTime: number,
    /** Posts per emulated second. */
    readonly rate: number,
  ) {
    this.period = rate > 0 ? 1000 / rate : Number.POSITIVE_INFINITY;
  }

  /** Emulated epoch ms at which post `n` is created. */
  timeOf(n: number): number {
    if (!Number.isFinite(this.period)) return Number.POSITIVE_INFINITY;
    const jitter = hashKeys(this.seed, STREAM.timing, n) / 0x1_0000_0000;
    return this.startTime + (n + jitter) * this.period;
  }

  /** The first post created at or after `time`. */
  firstAtOrAfter(time: number): number {
    if (!Number.isFinite(this.period)) return 0;
    let n = Math.max(0, Math.floor((time - this.startTime) / this.period) - 1);
    while (this.timeOf(n) < time) n++;
    return n;
  }
}
