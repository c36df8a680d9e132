import { StallError, type StalledEvent } from '@birdstream/core';
import { resolveStallTimeout } from '@birdstream/core/internal';
import {
  asyncScheduler,
  type MonoTypeOperatorFunction,
  Observable,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import { isServerActivity, type StreamEvent } from '../events/stream-event.js';
import { keepReconnectable } from '../source/reconnectable.js';

/** Options of `heartbeatTimeout`. */
export interface HeartbeatTimeoutConfig {
  /**
   * How long the stream may stay silent — no post, no keep-alive, no other
   * message from X — before it counts as stalled. X sends a keep-alive at
   * least every 20 s; a little more than that avoids false alarms when a
   * keep-alive is late. The same option, default and check as core's
   * stream option `stallTimeoutMs`.
   * @default 30_000
   */
  stallTimeoutMs?: number;
  /** Scheduler for the timer. @default asyncScheduler */
  scheduler?: SchedulerLike;
}

/**
 * Detects a dead connection: when neither data nor a keep-alive (nor any
 * other message from X) arrived for `stallTimeoutMs`, it emits a `stalled` event,
 * unsubscribes from the source (aborting the HTTP request) and errors with
 * core's `StallError`. The timer starts on subscription, so a connect that
 * hangs counts too; only events that come from X restart it (`connecting`
 * and the events of `retryStream` do not).
 *
 * Put it between the source and `retryStream`, on the event stream (before
 * `responses()`, which drops keep-alives): the stall then reconnects.
 *
 * @example
 * ```ts
 * fromFilteredStream(client, params).pipe(heartbeatTimeout(30_000), retryStream());
 * ```
 */
export function heartbeatTimeout<E extends StreamEvent<unknown>>(
  stallTimeoutMs?: number,
  scheduler?: SchedulerLike,
): MonoTypeOperatorFunction<E | StalledEvent>;
export function heartbeatTimeout<E extends StreamEvent<unknown>>(
  config: HeartbeatTimeoutConfig,
): MonoTypeOperatorFunction<E | StalledEvent>;
export function heartbeatTimeout<E extends StreamEvent<unknown>>(
  configOrMs: number | HeartbeatTimeoutConfig = {},
  schedulerArg?: SchedulerLike,
): MonoTypeOperatorFunction<E | StalledEvent> {
  const config = typeof configOrMs === 'number' ? { stallTimeoutMs: configOrMs } : configOrMs;
  const timeoutMs = resolveStallTimeout(config.stallTimeoutMs);
  const scheduler = config.scheduler ?? schedulerArg ?? asyncScheduler;

  return keepReconnectable(
    (source) =>
      new Observable<E | StalledEvent>((subscriber) => {
        let timer: Subscription | undefined;
        const arm = () => {
          timer?.unsubscribe();
          timer = scheduler.schedule(() => {
            upstream.unsubscribe();
            subscriber.next({ type: 'stalled', timeoutMs });
            subscriber.error(new StallError(timeoutMs));
          }, timeoutMs);
        };
        arm();
        const upstream: Subscription = source.subscribe({
          next: (event) => {
            if (isServerActivity(event)) arm();
            subscriber.next(event);
          },
          error: (error: unknown) => subscriber.error(error),
          complete: () => subscriber.complete(),
        });
        return () => {
          timer?.unsubscribe();
          upstream.unsubscribe();
        };
      }),
  );
}
