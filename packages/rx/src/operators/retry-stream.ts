import {
  type BackfillOption,
  type BackoffState,
  type BirdstreamError,
  backfillMinutesFor,
  ConfigError,
  ConnectionError,
  DEFAULT_HEALTHY_AFTER_MS,
  INITIAL_BACKOFF,
  isApiError,
  isBirdstreamError,
  nextReconnectDelay,
  type ReconnectPolicyHook,
  type ReconnectSchedule,
} from '@birdstream/core';
import {
  asyncScheduler,
  Observable,
  type OperatorFunction,
  type SchedulerLike,
  type Subscription,
  timer,
} from 'rxjs';
import { eventType, isServerActivity, type RetryStreamEvent } from '../events/stream-event.js';
import { requireCount, requirePositiveMs } from '../internal/validate.js';
import { isReconnectable, reconnectWith } from '../source/reconnectable.js';

/** Options of `retryStream`. Every field is optional; the defaults follow X's guidance. */
export interface RetryStreamConfig {
  /**
   * How many reconnects in a row are allowed without a healthy connection in
   * between. When one more would be needed, the Observable errors with the
   * last error. A healthy connection resets the count.
   * @default Infinity
   */
  maxRetries?: number;
  /**
   * `backfill_minutes` to request when reconnecting (Enterprise access):
   * `'auto'` sizes it to the outage — the time since the last message or
   * keep-alive, rounded up to whole minutes, 1 to 5 — and a number from 1 to
   * 5 requests that many minutes every time; `false` requests none. Backfill
   * redelivers posts, so pair it with `dedupeById()`. It needs a birdstream
   * source (see `isReconnectable`): `retryStream` throws a `ConfigError`
   * when backfill is set and the source cannot be reconnected with options.
   * @default false
   */
  backfill?: BackfillOption;
  /**
   * Overrides the decision per failure: return a delay in ms to retry (a
   * negative one counts as 0), `false` to stop and error, or `undefined` to
   * keep X's policy. It may also retry errors the policy treats as fatal.
   * @default undefined (X's policy)
   */
  policy?: ReconnectPolicyHook;
  /** Changes the numbers of X's schedule (network 250 ms steps, HTTP 5 s doubling, 429 60 s doubling). @default X_RECONNECT_SCHEDULE */
  schedule?: Partial<ReconnectSchedule>;
  /**
   * A connection that stayed up this long counts as healthy: when it drops,
   * the stream reconnects at once and the back-off starts over. Shorter-lived
   * connections back off per error class, so a server that accepts and
   * immediately drops connections is not hammered. The same rule as core's
   * `StreamClient` (`DEFAULT_HEALTHY_AFTER_MS`).
   * @default 30_000
   */
  healthyAfterMs?: number;
  /** Scheduler for the reconnect delays and for measuring outages and connection time. @default asyncScheduler */
  scheduler?: SchedulerLike;
  /** Source of randomness for `schedule.jitter`, in [0, 1). @default Math.random */
  random?: () => number;
}

/** X keeps at most 5 minutes for `backfill_minutes`. */
const BACKFILL_WINDOW_MS = 5 * 60_000;

/**
 * Resubscribes to a stream when it fails, following X's reconnect policy
 * (core's `nextReconnectDelay`, run on an RxJS scheduler): at once after a
 * healthy connection drops (or X announces an operational disconnect), then
 * 250 ms linear steps for network errors, 5 s doubling for HTTP errors and
 * 60 s doubling for 429s. It stops on fatal errors (400, 401, 403, 409,
 * usage cap) and after `maxRetries` failures in a row. These are the rules
 * of core's `StreamClient`, applied to Observables.
 *
 * It emits `disconnected` when a connection that was up fails, `reconnecting`
 * before each wait, and `backfill` just before reconnecting with
 * `backfill_minutes`. Place `heartbeatTimeout` before it so stalls reconnect.
 *
 * @example
 * ```ts
 * fromFilteredStream(client, params).pipe(
 *   heartbeatTimeout(30_000),
 *   retryStream({ backfill: 'auto', maxRetries: 20 }),
 *   dedupeById(),
 *   responses(),
 * );
 * ```
 */
export function retryStream<T>(
  config: RetryStreamConfig = {},
): OperatorFunction<T, T | RetryStreamEvent> {
  const maxRetries = requireCount(
    'retryStream: maxRetries',
    config.maxRetries ?? Number.POSITIVE_INFINITY,
    0,
    true,
  );
  const healthyAfterMs = requirePositiveMs(
    'retryStream: healthyAfterMs',
    config.healthyAfterMs ?? DEFAULT_HEALTHY_AFTER_MS,
  );
  const backfill = config.backfill ?? false;
  if (backfill !== false && backfill !== 'auto') {
    if (!Number.isInteger(backfill) || backfill < 1 || backfill > 5) {
      throw new ConfigError(
        `retryStream: backfill must be 'auto', a whole number of minutes from 1 to 5, or false (got ${String(backfill)}).`,
      );
    }
  }
  const scheduler = config.scheduler ?? asyncScheduler;

  return (source) => {
    if (backfill !== false && !isReconnectable(source)) {
      throw new ConfigError(
        'retryStream: backfill needs a birdstream source: apply retryStream directly to fromFilteredStream()/fromSampleStream(), after operators of @birdstream/rx such as heartbeatTimeout, or wrap your own operators with keepReconnectable().',
      );
    }
    return new Observable<T | RetryStreamEvent>((subscriber) => {
      let state: BackoffState = INITIAL_BACKOFF;
      /** Reconnects since the last healthy connection (what `connecting.attempt` reports). */
      let attempt = 0;
      let lastActivityAt = scheduler.now();
      let connectedAt: number | undefined;
      /** X announced an operational disconnect on the current connection. */
      let announcedDisconnect = false;
      let inner: Subscription | undefined;
      let pending: Subscription | undefined;

      const connect = (backfillMinutes: number | undefined) => {
        connectedAt = undefined;
        announcedDisconnect = false;
        const subscription = reconnectWith(source, { attempt, backfillMinutes }).subscribe({
          next: (value) => {
            const now = scheduler.now();
            if (isServerActivity(value)) {
              lastActivityAt = now;
              connectedAt ??= now;
            }
            if (eventType(value) === 'stream-errors') {
              announcedDisconnect ||= (value as { disconnect?: unknown }).disconnect === true;
            }
            subscriber.next(value);
          },
          error: (error: unknown) => onError(error),
          complete: () => subscriber.complete(),
        });
        // The consumer may have unsubscribed while the source emitted synchronously.
        if (subscriber.closed) subscription.unsubscribe();
        else inner = subscription;
      };

      const onError = (error: unknown) => {
        const now = scheduler.now();
        const healthy = connectedAt !== undefined && now - connectedAt >= healthyAfterMs;
        const reason = asBirdstreamError(error);
        if (connectedAt !== undefined) {
          subscriber.next({ type: 'disconnected', reason, durationMs: now - connectedAt, healthy });
        }
        if (healthy) {
          attempt = 0;
          state = INITIAL_BACKOFF;
        }
        // An operational disconnect asks for an immediate reconnect, but only
        // once in a row: a server that keeps disconnecting gets the back-off.
        const reconnectAtOnce = healthy || (announcedDisconnect && attempt === 0);
        const decision = nextReconnectDelay({
          error,
          state,
          afterHealthyConnection: reconnectAtOnce,
          now,
          schedule: config.schedule,
          random: config.random,
        });
        const kind = decision.kind;
        let delayMs = decision.retry ? decision.delayMs : undefined;
        if (config.policy) {
          const override = config.policy({
            error,
            kind,
            attempt: attempt + 1,
            defaultDelayMs: delayMs,
          });
          if (override === false) delayMs = undefined;
          else if (typeof override === 'number' && Number.isFinite(override)) {
            delayMs = Math.max(0, override);
          }
        }
        if (delayMs === undefined || attempt >= maxRetries) {
          subscriber.error(error);
          return;
        }
        if (decision.retry) state = decision.state;
        attempt += 1;
        subscriber.next({
          type: 'reconnecting',
          attempt,
          delayMs,
          reason,
          failure: kind === 'fatal' ? (isApiError(error) ? 'http' : 'network') : kind,
        });
        pending = timer(delayMs, scheduler).subscribe(() => {
          pending = undefined;
          let minutes: number | undefined;
          if (backfill !== false) {
            const outageMs = scheduler.now() - lastActivityAt;
            minutes = backfill === 'auto' ? backfillMinutesFor(outageMs) : backfill;
            subscriber.next({
              type: 'backfill',
              minutes,
              outageMs,
              exceedsWindow: outageMs > BACKFILL_WINDOW_MS,
            });
          }
          connect(minutes);
        });
      };

      connect(undefined);
      return () => {
        inner?.unsubscribe();
        pending?.unsubscribe();
      };
    });
  };
}

/** The `reason` of lifecycle events is always a birdstream error; anything else is wrapped. */
function asBirdstreamError(error: unknown): BirdstreamError {
  if (isBirdstreamError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ConnectionError(`The stream failed: ${message}`, { cause: error });
}
