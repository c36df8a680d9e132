import { ConnectionError } from '@birdstream/core';

/**
 * A partition's lease is no longer held by this worker (it expired or another
 * worker claimed it): the write was refused by the fencing check and nothing
 * of it reached the stream. The worker stops reading that partition.
 */
export class LeaseLostError extends ConnectionError {
  override name = 'LeaseLostError';
  readonly partition: number;

  constructor(partition: number, message?: string) {
    super(
      message ??
        `The lease on partition ${partition} is no longer held by this worker: it stopped writing that partition; another worker takes it over.`,
    );
    this.partition = partition;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), partition: this.partition };
  }
}

/** True for a `LeaseLostError`. */
export function isLeaseLostError(value: unknown): value is LeaseLostError {
  return value instanceof LeaseLostError;
}
