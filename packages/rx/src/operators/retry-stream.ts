import {
  ConfigError,
  itemTime,
  type SupervisionEvent,
  type SupervisionOptions,
} from '@birdstream/core';
import {
  connectionIdForUrl,
  type RecoveryWindow,
  reclaimStale,
  resolveSupervision,
  StreamSupervisor,
  type SupervisorDecision,
  type SupervisorResult,
} from '@birdstream/core/internal';
import {
  asyncScheduler,
  from,
  Observable,
  type OperatorFunction,
  type SchedulerLike,
  type Subscription,
  timer,
} from 'rxjs';
import { eventType, isServerActivity } from '../events/stream-event.js';
import { isReconnectable, reconnectWith } from '../source/reconnectable.js';

/**
 * Options of `retryStream`: core's supervision contract (`SupervisionOptions`,
 * the same names, defaults, checks and error messages as the options of
 * `StreamClient`'s streams), plus the `scheduler` its timers run on. rx has
 * no token of its own: `reclaimStaleConnections` needs `{ connections }`.
 */
export interface RetryStreamConfig extends SupervisionOptions {
  /** Scheduler for the reconnect delays and for measuring outages and connection time. @default asyncScheduler */
  scheduler?: SchedulerLike;
}

/**
 * Resubscribes to a stream when it fails, following X's reconnect policy:
 * a thin driver of core's `StreamSupervisor` on an RxJS scheduler, so every
 * decision is the one core's `for await` streams make. At once after a
 * healthy connection drops (or X announces an operational disconnect), then
 * 250 ms linear steps for network errors, 5 s doubling for HTTP errors and
 * 60 s doubling for 429s. It stops on fatal errors (400, 401, 403, 409,
 * usage cap) and after `maxRetries` failures in a row. These are the rules
 * of core's `StreamClient`, applied to Observables.
 *
 * It emits `disconnected` when a connection that was up fails, `reconnecting`
 * before each wait (its `previous` says whether the connection was lost, the
 * server refused the attempt or could not be reached), and `backfill` once
 * the connection that asked for `backfill_minutes` is up. With `recoverGaps`, outages longer than 5 minutes are
 * replayed by recovery requests beside the live stream, reported by
 * `recovery` events. Place `heartbeatTimeout` before it so stalls reconnect.
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
): OperatorFunction<T, T | SupervisionEvent> {
  const { config: supervision, reclaim } = resolveSupervision(config);
  if (reclaim !== undefined && reclaim.connections === undefined) {
    throw new ConfigError(
      'retryStream has no token to list connections with: pass reclaimStaleConnections: { connections: new ConnectionsClient(…) }.',
    );
  }
  const { backfill, recoverGaps } = supervision;
  const scheduler = config.scheduler ?? asyncScheduler;

  return (source) => {
    if ((backfill !== false || recoverGaps) && !isReconnectable(source)) {
      throw new ConfigError(
        `retryStream: ${backfill !== false ? 'backfill' : 'recoverGaps'} needs a birdstream source: apply retryStream directly to fromFilteredStream()/fromSampleStream(), after operators of @birdstream/rx such as heartbeatTimeout, or wrap your own operators with keepReconnectable().`,
      );
    }
    return new Observable<T | SupervisionEvent>((subscriber) => {
      const supervisor = new StreamSupervisor(supervision);
      let inner: Subscription | undefined;
      let pending: Subscription | undefined;
      // The recovery requests running now, by window id (recoverGaps).
      const recoveries = new Map<number, Subscription>();
      // disconnected, reconnecting, backfill, reclaimed, recovery.
      const emit = (result: SupervisorResult) => {
        for (const event of result.events) subscriber.next(event as SupervisionEvent);
      };

      /**
       * Opens each window the supervisor started as a recovery request on
       * the source. Only its posts reach the output: its connecting,
       * connected and keep-alive values say nothing about the live
       * connection, so the supervisor never observes them. When it ends,
       * the supervisor hears `recovery-ended` and may start queued windows.
       */
      const startRecoveries = (windows: readonly RecoveryWindow[] | undefined) => {
        for (const window of windows ?? []) {
          let posts = 0;
          let ended = false;
          const end = (error?: unknown) => {
            ended = true;
            recoveries.get(window.id)?.unsubscribe();
            recoveries.delete(window.id);
            if (subscriber.closed || supervisor.stopped) return;
            const result = supervisor.dispatch(
              error === undefined
                ? { type: 'recovery-ended', id: window.id, posts }
                : { type: 'recovery-ended', id: window.id, posts, error },
            );
            emit(result);
            startRecoveries(result.recover);
          };
          let subscription: Subscription;
          try {
            subscription = reconnectWith(source, {
              attempt: 0,
              recovery: { startTime: window.startTime, endTime: window.endTime },
            }).subscribe({
              next: (value) => {
                if (!isRecoveredItem(value)) return;
                posts++;
                subscriber.next(value);
              },
              error: (error: unknown) => end(error),
              complete: () => end(),
            });
          } catch (error) {
            // The source's factory threw: this window failed; the live stream goes on.
            end(error);
            continue;
          }
          // It may have ended synchronously, or the consumer may have unsubscribed meanwhile.
          if (ended || subscriber.closed) subscription.unsubscribe();
          else recoveries.set(window.id, subscription);
        }
      };

      const connect = () => {
        const result = supervisor.dispatch({ type: 'connect', at: scheduler.now() });
        emit(result);
        if (result.decision.type !== 'connect') return;
        if (subscriber.closed) return;
        const { attempt, backfillMinutes } = result.decision;
        const subscription = reconnectWith(source, { attempt, backfillMinutes }).subscribe({
          next: (value) => {
            const up = observe(supervisor, value, scheduler.now());
            subscriber.next(value);
            // The live connection is up: recover what its backfill cannot reach (recoverGaps).
            if (up !== undefined && up.events.length > 0) {
              emit(up);
              startRecoveries(up.recover);
            }
          },
          error: (error: unknown) => onError(error),
          complete: () => subscriber.complete(),
        });
        // The consumer may have unsubscribed while the source emitted synchronously.
        if (subscriber.closed) subscription.unsubscribe();
        else inner = subscription;
      };

      const follow = (decision: SupervisorDecision) => {
        if (decision.type === 'stop') subscriber.error(decision.error);
        else if (decision.type === 'reconnect') {
          pending = timer(decision.delayMs, scheduler).subscribe(() => {
            pending = undefined;
            connect();
          });
        } else if (decision.type === 'reclaim' && reclaim !== undefined) {
          // The supervisor decided; the list and kill requests are this driver's.
          const url = supervisor.state.url;
          const connectionId =
            reclaim.endpoint ?? (url === undefined ? undefined : connectionIdForUrl(url));
          const since = supervisor.state.startedAt ?? scheduler.now();
          const controller = new AbortController();
          const outcome =
            connectionId === undefined
              ? Promise.resolve({
                  killed: [],
                  successful: 0,
                  kept: 0,
                  reason:
                    "retryStream could not tell which stream the source connects to; pass reclaimStaleConnections.endpoint. Waiting per X's policy.",
                })
              : reclaimStale(
                  { connections: () => reclaim.connections!, connectionId, keep: reclaim.keep },
                  since,
                  controller.signal,
                );
          pending = from(outcome).subscribe((report) => {
            pending = undefined;
            const result = supervisor.dispatch({
              type: 'reclaimed',
              at: scheduler.now(),
              ...report,
            });
            emit(result);
            follow(result.decision);
          });
          pending.add(() => controller.abort());
        }
      };

      const onError = (error: unknown) => {
        const result = supervisor.dispatch({ type: 'failure', error, at: scheduler.now() });
        emit(result);
        follow(result.decision);
      };

      connect();
      return () => {
        supervisor.dispatch({ type: 'close' });
        inner?.unsubscribe();
        pending?.unsubscribe();
        for (const recovery of recoveries.values()) recovery.unsubscribe();
        recoveries.clear();
      };
    });
  };
}

/**
 * True for a value of a recovery request that goes to the output: a
 * `response` event, or a value that is no stream event at all (a custom
 * source's post). Its lifecycle events stay inside.
 */
function isRecoveredItem(value: unknown): boolean {
  const type = eventType(value);
  return type === undefined || type === 'response';
}

/**
 * Tells the supervisor what one value of the source says about the
 * connection. Returns the supervisor's answer when the value means the
 * connection is up (`connected`, or the first byte of a source without one):
 * the recoveries to start then.
 */
function observe(
  supervisor: StreamSupervisor,
  value: unknown,
  at: number,
): SupervisorResult | undefined {
  const type = eventType(value);
  if (type === 'connecting') {
    const url = (value as { url?: unknown }).url;
    if (typeof url === 'string') supervisor.dispatch({ type: 'connecting', url });
    return undefined;
  }
  if (type === 'connected') return supervisor.dispatch({ type: 'connected', at });
  if (!isServerActivity(value)) return undefined;
  const itemAt =
    type === 'response' ? itemTime((value as { response?: unknown }).response) : undefined;
  const result = supervisor.dispatch({ type: 'activity', at, itemAt });
  if (type === 'stream-errors' && (value as { disconnect?: unknown }).disconnect === true) {
    supervisor.dispatch({ type: 'operational-disconnect' });
  }
  return result;
}
