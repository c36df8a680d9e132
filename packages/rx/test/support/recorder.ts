import { until } from '@birdstream/test-utils';
import type { Observable, Subscription } from 'rxjs';

/** Everything an Observable did, for assertions, plus a way to wait for a state without sleeping. */
export interface Recording<T> {
  readonly values: T[];
  readonly error: unknown;
  readonly completed: boolean;
  readonly subscription: Subscription;
  /** Lets the event loop turn until `predicate` holds (bounded; fails with `what` instead of hanging). */
  until(predicate: (recording: Recording<T>) => boolean, what: string): Promise<void>;
}

/** Subscribes to `source` and records its notifications. */
export function record<T>(source: Observable<T>): Recording<T> {
  const recording = {
    values: [] as T[],
    error: undefined as unknown,
    completed: false,
    subscription: undefined as unknown as Subscription,
    // Bounded by wall time, generously (test-utils' `until`), not by event-loop turns: how many
    // turns real I/O takes depends on how busy the machine is.
    until(predicate: (r: Recording<T>) => boolean, what: string) {
      return until(() => predicate(recording), what);
    },
  };
  recording.subscription = source.subscribe({
    next: (value) => recording.values.push(value),
    error: (error: unknown) => {
      recording.error = error;
    },
    complete: () => {
      recording.completed = true;
    },
  });
  return recording;
}

/** True once the Observable errored or completed. */
export const finished = (r: Recording<unknown>) => r.error !== undefined || r.completed;

/** The `type`s of recorded events, in order. */
export const types = (r: Recording<{ type: string }>) => r.values.map((event) => event.type);
