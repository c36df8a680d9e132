import type { ManualClock } from '@birdstream/test-utils';
import { type SchedulerAction, type SchedulerLike, Subscription } from 'rxjs';

/** One scheduled piece of work, on a ManualClock timer. */
class ClockAction<T> extends Subscription implements SchedulerAction<T> {
  #handle: unknown;

  constructor(
    private readonly clock: ManualClock,
    private readonly work: (this: SchedulerAction<T>, state?: T) => void,
  ) {
    super();
    this.add(() => this.#cancel());
  }

  schedule(state?: T, delay = 0): Subscription {
    if (this.closed) return this;
    this.#cancel();
    this.#handle = this.clock.setTimeout(() => {
      this.#handle = undefined;
      this.work.call(this, state);
    }, delay);
    return this;
  }

  #cancel(): void {
    if (this.#handle !== undefined) {
      this.clock.clearTimeout(this.#handle);
      this.#handle = undefined;
    }
  }
}

/**
 * An RxJS scheduler on test-utils' ManualClock: rx operators and core's
 * StreamClient then share one virtual time, moved by `clock.advance()`, and
 * `clock.pendingTimers` shows what the operators left behind.
 */
export function clockScheduler(clock: ManualClock): SchedulerLike {
  return {
    now: () => clock.now(),
    schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay?: number, state?: T) {
      return new ClockAction<T>(clock, work).schedule(state, delay);
    },
  };
}
