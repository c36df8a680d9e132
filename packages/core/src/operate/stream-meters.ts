import type { StreamEventEmitter } from '../client/event-emitter.js';
import type { StreamStats } from '../client/stream-stats.js';
import { BudgetExhaustedError } from '../errors/budget-exhausted-error.js';
import { Budget, type BudgetOption } from './budget.js';
import { itemTime } from './item-time.js';
import { LagMeter, type LagOptions } from './lag-meter.js';

/** At most one `usage` event per this much clock time (besides the warning and the limit). */
export const USAGE_EVENT_INTERVAL_MS = 1_000;

/**
 * The stream's spend and lag meters, as the stream driver uses them: it
 * reports what happens to each message (received, delivered, released) and
 * the meters turn the `Budget` and `LagMeter` answers into events and
 * `stats`. One place for both, so the driver's loop stays a few calls.
 */
export class StreamMeters {
  readonly #budget: Budget | undefined;
  readonly #lag: LagMeter | undefined;
  readonly #emitter: StreamEventEmitter;
  readonly #stats: StreamStats;
  #lastUsageAt = Number.NEGATIVE_INFINITY;
  /** Posts were recorded since the last `usage` event. */
  #unreported = false;

  constructor(
    options: { budget: BudgetOption | undefined; lag: LagOptions | false },
    emitter: StreamEventEmitter,
    stats: StreamStats,
    now: number,
  ) {
    this.#emitter = emitter;
    this.#stats = stats;
    if (options.budget !== undefined) {
      this.#budget = new Budget(options.budget, now);
      stats.usage = this.#budget.usage(now);
    }
    if (options.lag !== false) this.#lag = new LagMeter(options.lag, now);
  }

  /**
   * The error to end the stream with before any post, when the budget was
   * already spent (`alreadyDelivered` ≥ `maxPosts`); `undefined` otherwise.
   */
  spent(now: number): BudgetExhaustedError | undefined {
    if (this.#budget === undefined || !this.#budget.exhausted(now)) return undefined;
    return new BudgetExhaustedError(this.#budget.usage(now));
  }

  /** A message with a post arrived from the network. */
  received(now: number, post: unknown): void {
    this.#lag?.received(now, itemTime(post));
    this.tick(now);
  }

  /**
   * A post is about to be handed to the consumer. Returns the error to end
   * the stream with AFTER the consumer has it, when this post spent the
   * budget.
   */
  delivered(now: number): BudgetExhaustedError | undefined {
    this.#lag?.delivered(now);
    if (this.#budget === undefined) return undefined;
    const step = this.#budget.record(now);
    this.#stats.usage = step.usage;
    if (step.warn) this.#emitter.emit({ type: 'budget-warning', usage: step.usage });
    this.#unreported = true;
    if (step.warn || step.exhausted || now - this.#lastUsageAt >= USAGE_EVENT_INTERVAL_MS) {
      this.#reportUsage(now);
    }
    return step.exhausted ? new BudgetExhaustedError(step.usage) : undefined;
  }

  /** The stream ends: a last `usage` event when posts were delivered since the previous one. */
  finish(now: number): void {
    if (this.#budget !== undefined && this.#unreported) this.#reportUsage(now);
  }

  #reportUsage(now: number): void {
    if (this.#budget === undefined) return;
    this.#lastUsageAt = now;
    this.#unreported = false;
    const usage = this.#budget.usage(now);
    this.#stats.usage = usage;
    this.#emitter.emit({ type: 'usage', usage });
  }

  /** The consumer asked for the next post. */
  released(now: number): void {
    this.#lag?.released(now);
  }

  /** Closes a lag interval when one is due (on every message and keep-alive). */
  tick(now: number): void {
    const result = this.#lag?.tick(now);
    if (result === undefined) return;
    const { stat } = result;
    this.#stats.lag = stat;
    this.#emitter.emit({ type: 'lag', lag: stat });
    if (result.startedFallingBehind && stat.fallingBehind !== undefined) {
      this.#emitter.emit({ type: 'falling-behind', reason: stat.fallingBehind, lag: stat });
    }
    if (result.caughtUp) this.#emitter.emit({ type: 'caught-up', lag: stat });
  }
}
