import { BirdstreamError, isBirdstreamError } from '../errors/birdstream-error.js';
import type { BudgetUsage } from './budget.js';

const PERIOD_WORDS: Record<BudgetUsage['period'], string> = {
  day: 'this UTC day',
  month: 'this UTC month',
  run: 'this run',
};

/**
 * The stream's `budget` is spent: the post that reached `budget.maxPosts`
 * was delivered, then the connection was closed and the loop threw this.
 * Nothing is half-written: the consumer had every post it was given. Not
 * retried; `usage` says where the budget stood.
 */
export class BudgetExhaustedError extends BirdstreamError {
  override name = 'BudgetExhaustedError';
  readonly usage: BudgetUsage;

  constructor(usage: BudgetUsage) {
    const until =
      usage.periodEnd === undefined
        ? ''
        : ` It starts over at ${new Date(usage.periodEnd).toISOString()}.`;
    super(
      'budget',
      `The stream's budget is spent: ${usage.delivered} of ${usage.limit} posts delivered in ${PERIOD_WORDS[usage.period]}, so it stopped cleanly after the last one.${until} To go on, raise budget.maxPosts (--max-posts in the CLI) or start it again in the next period.`,
    );
    this.usage = usage;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), usage: this.usage };
  }
}

/** True for a {@link BudgetExhaustedError}, from any copy of birdstream. */
export function isBudgetExhaustedError(value: unknown): value is BudgetExhaustedError {
  return isBirdstreamError(value) && value.code === 'budget';
}
