import { BudgetExhaustedError } from '../errors/budget-exhausted-error.js';
import type { StreamEventEmitter } from '../events/event-emitter.js';
import type { CaughtUpEvent, FallingBehindEvent, LagEvent } from '../events/lifecycle.js';
import { Budget, type BudgetOption } from '../operate/budget.js';
import { itemTime } from '../operate/item-time.js';
import { LagMeter, type LagOptions, type LagTick } from '../operate/lag-meter.js';
import type { StreamStats } from './stream-stats.js';

/**
 * The events of one finished lag interval: `lag`, then `falling-behind`
 * when it started falling behind, or `caught-up` when it recovered. Core's
 * streams and `@birdstream/rx`'s sources emit the same.
 */
export function lagEvents(tick: LagTick): (LagEvent | FallingBehindEvent | CaughtUpEvent)[] {
  const { stat } = tick;
  const events: (LagEvent | FallingBehindEvent | CaughtUpEvent)[] = [{ type: 'lag', lag: stat }];
  if (tick.startedFallingBehind && stat.fallingBehind !== undefined) {
    events.push({ type: 'falling-behind', reason: stat.fallingBehind, lag: stat });
  }
  if (tick.caughtUp) events.push({ type: 'caught-up', lag: stat });
  return events;
}

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
  received(now: number, post: unknown, itemAt: number | undefined = itemTime(post)): void {
    this.#lag?.received(now, itemAt);
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

  /** What waits in the client: posts decoded for the consumer, bytes not yet a message. */
  waiting(messages: number, bytes: number): void {
    this.#lag?.waiting(messages, bytes);
  }

  /** The consumer asked for the next post. */
  released(now: number): void {
    this.#lag?.released(now);
  }

  /** Closes a lag interval when one is due (on every message and keep-alive). */
  tick(now: number): void {
    const result = this.#lag?.tick(now);
    if (result === undefined) return;
    this.#stats.lag = result.stat;
    for (const event of lagEvents(result)) this.#emitter.emit(event);
  }
}
