import type { Clock } from '@birdstream/core';
import { type SchedulerAction, type SchedulerLike, Subscription } from 'rxjs';

/** One scheduled piece of work on a `Clock`; rescheduling replaces the pending timer. */
class ClockAction<T> extends Subscription implements SchedulerAction<T> {
  private handle: unknown;
  private pending = false;

  constructor(
    private readonly clock: Clock,
    private readonly work: (this: SchedulerAction<T>, state?: T) => void,
  ) {
    super(() => {
      if (this.pending) this.clock.clearTimeout(this.handle);
      this.pending = false;
    });
  }

  schedule(state?: T, delay = 0): Subscription {
    if (this.closed) return this;
    if (this.pending) this.clock.clearTimeout(this.handle);
    this.pending = true;
    this.handle = this.clock.setTimeout(
      () => {
        this.pending = false;
        this.work.call(this, state);
        // Work that did not reschedule itself is done.
        if (!this.pending && !this.closed) this.unsubscribe();
      },
      Math.max(0, delay),
    );
    return this;
  }
}

/**
 * An RxJS scheduler on a birdstream `Clock`: `now()` and every delay use the
 * clock's time. With the emulator's clock, an rx pipeline's heartbeat and
 * reconnect delays run in emulated time, like a `StreamClient` given
 * `clock: emu.clock`.
 */
export function clockScheduler(clock: Clock): SchedulerLike {
  return {
    now: () => clock.now(),
    schedule<T>(
      work: (this: SchedulerAction<T>, state: T) => void,
      delay = 0,
      state?: T,
    ): Subscription {
      return new ClockAction<T>(
        clock,
        work as (this: SchedulerAction<T>, state?: T) => void,
      ).schedule(state, delay);
    },
  };
}
