import { ConfigError } from '../errors/config-error.js';

/** The `budget` stream option: a cap on posts delivered, set by you, below X's. */
export interface BudgetOption {
  /** Posts the stream may deliver per `period`. At the limit it stops cleanly with `BudgetExhaustedError`. */
  maxPosts: number;
  /**
   * The period the limit applies to: a UTC day, a UTC calendar month (X
   * bills pay-per-use by the UTC day and caps by the month), or this
   * stream's whole run.
   * @default 'day'
   */
  period?: 'day' | 'month' | 'run';
  /** Share of `maxPosts` at which a `budget-warning` event fires (once per period), 0 to 1. @default 0.8 */
  warnAt?: number;
  /**
   * Posts already delivered in the current period before this stream
   * started (from `UsageClient`, or your own store across restarts).
   * @default 0
   */
  alreadyDelivered?: number;
}

/** Where the budget stands: what `usage` events and `stream.stats.usage` report. */
export interface BudgetUsage {
  period: 'day' | 'month' | 'run';
  /** Start of the current period, epoch ms. */
  periodStart: number;
  /** End of the current period, epoch ms (`undefined` for `'run'`). */
  periodEnd: number | undefined;
  /** Posts delivered in this period (including `alreadyDelivered`). */
  delivered: number;
  limit: number;
  /** `delivered / limit` × 100. */
  percent: number;
  /**
   * Posts the period would end with at the rate seen so far in it
   * (`undefined` for `'run'`, or before a rate can be measured).
   */
  projected: number | undefined;
}

/** What recording one delivered post changed. */
export interface BudgetStep {
  usage: BudgetUsage;
  /** The warning threshold was crossed by this post. */
  warn: boolean;
  /** The limit is reached: this post was the last one allowed. */
  exhausted: boolean;
}

/** The periods in UTC, so a budget agrees with X's billing whatever the local time zone. */
function periodBounds(period: 'day' | 'month', now: number): [number, number] {
  const d = new Date(now);
  if (period === 'day') {
    const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    return [start, start + 86_400_000];
  }
  return [
    Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1),
    Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1),
  ];
}

/** Checks the `budget` option; the defaults filled in. */
export function resolveBudget(option: BudgetOption): Required<BudgetOption> {
  if (typeof option !== 'object' || option === null) {
    throw new ConfigError('budget must be an object such as { maxPosts: 10_000, period: "day" }.');
  }
  const { maxPosts, period = 'day', warnAt = 0.8, alreadyDelivered = 0 } = option;
  if (!Number.isSafeInteger(maxPosts) || maxPosts < 1) {
    throw new ConfigError(`budget.maxPosts must be a whole number ≥ 1, got ${String(maxPosts)}.`);
  }
  if (period !== 'day' && period !== 'month' && period !== 'run') {
    throw new ConfigError(`budget.period must be 'day', 'month' or 'run', got ${String(period)}.`);
  }
  if (typeof warnAt !== 'number' || !(warnAt > 0 && warnAt <= 1)) {
    throw new ConfigError(
      `budget.warnAt must be a share above 0 and at most 1, got ${String(warnAt)}.`,
    );
  }
  if (!Number.isSafeInteger(alreadyDelivered) || alreadyDelivered < 0) {
    throw new ConfigError(
      `budget.alreadyDelivered must be a whole number ≥ 0, got ${String(alreadyDelivered)}.`,
    );
  }
  return { maxPosts, period, warnAt, alreadyDelivered };
}

/**
 * Counts delivered posts against a caller's budget, by the injected clock:
 * `record(now)` after each post says whether the warning threshold was just
 * crossed and whether the limit is reached. A new UTC day or month starts
 * the count over (`alreadyDelivered` only counts for the first period).
 * Pure logic: the stream turns its answers into events and a clean stop.
 */
export class Budget {
  readonly #option: Required<BudgetOption>;
  #periodStart: number;
  #periodEnd: number | undefined;
  #delivered: number;
  #warned = false;
  /** When this stream started counting in the current period (for the projection). */
  #countingSince: number;
  #countedHere = 0;

  constructor(option: BudgetOption, now: number) {
    this.#option = resolveBudget(option);
    [this.#periodStart, this.#periodEnd] =
      this.#option.period === 'run' ? [now, undefined] : periodBounds(this.#option.period, now);
    this.#delivered = this.#option.alreadyDelivered;
    this.#countingSince = now;
    this.#warned = this.#delivered >= this.#warnThreshold();
  }

  /** True when no further post may be delivered in the current period. */
  exhausted(now: number): boolean {
    this.#roll(now);
    return this.#delivered >= this.#option.maxPosts;
  }

  /** Counts one delivered post. */
  record(now: number): BudgetStep {
    this.#roll(now);
    this.#delivered++;
    this.#countedHere++;
    const warn = !this.#warned && this.#delivered >= this.#warnThreshold();
    if (warn) this.#warned = true;
    return { usage: this.usage(now), warn, exhausted: this.#delivered >= this.#option.maxPosts };
  }

  /** Where the budget stands at `now`. */
  usage(now: number): BudgetUsage {
    this.#roll(now);
    const { maxPosts: limit, period } = this.#option;
    let projected: number | undefined;
    const elapsed = now - this.#countingSince;
    if (this.#periodEnd !== undefined && elapsed > 0 && this.#countedHere > 0) {
      const rate = this.#countedHere / elapsed;
      projected = Math.round(this.#delivered + rate * (this.#periodEnd - now));
    }
    return {
      period,
      periodStart: this.#periodStart,
      periodEnd: this.#periodEnd,
      delivered: this.#delivered,
      limit,
      percent: (this.#delivered / limit) * 100,
      projected,
    };
  }

  #warnThreshold(): number {
    return Math.ceil(this.#option.maxPosts * this.#option.warnAt);
  }

  #roll(now: number): void {
    if (this.#periodEnd === undefined || now < this.#periodEnd) return;
    [this.#periodStart, this.#periodEnd] = periodBounds(
      this.#option.period as 'day' | 'month',
      now,
    );
    this.#delivered = 0;
    this.#countedHere = 0;
    this.#countingSince = now;
    this.#warned = false;
  }
}
