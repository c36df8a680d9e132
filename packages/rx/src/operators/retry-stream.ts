import {
  type BackfillOption,
  ConfigError,
  type Connection,
  type ConnectionEndpointId,
  type ConnectionsClient,
  connectionIdForUrl,
  DEFAULT_HEALTHY_AFTER_MS,
  type FirstConnectionBound,
  itemTime,
  type ReconnectPolicyHook,
  type ReconnectSchedule,
  type RecoveryWindow,
  reclaimStale,
  resolveFirstConnection,
  StreamSupervisor,
  type SupervisorDecision,
  type SupervisorResult,
} from '@birdstream/core';
import {
  asyncScheduler,
  from,
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
   * Recover outages longer than X's 5-minute backfill window (Enterprise):
   * on the reconnect after such an outage, the part backfill cannot reach
   * (up to 24 hours back) is replayed by a recovery request
   * (`start_time`/`end_time`) beside the live stream, its posts merged into
   * the output between live values. X runs at most 2 recovery jobs at once;
   * more wait for a slot. `recovery` events say what was started, recovered
   * (`completed` with `posts`), `failed` (the live stream goes on) or was
   * older than 24 hours (`unrecoverable`). The decisions are core's
   * `StreamSupervisor`'s, as with `StreamClient`'s `recoverGaps`. Recovered
   * posts overlap what was delivered at the edges of the gap, so pair it
   * with `dedupeById()` (`dedupeByEndpoint()` on other endpoints). It needs
   * a birdstream source, like `backfill`.
   * @default false
   */
  recoverGaps?: boolean;
  /**
   * Overrides the decision per failure: return a delay in ms to retry (a
   * negative one counts as 0), `false` to stop and error, or `undefined` to
   * keep X's policy. It may also retry errors the policy treats as fatal.
   * It receives the error as a `BirdstreamError` — a foreign error arrives
   * wrapped in a `ConnectionError` with the original as `cause` — exactly
   * as core's `policy` stream option does.
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
  /**
   * Until the source has connected once, a small bound ends the stream with
   * a `FirstConnectionError` (the URL, the cause, what to check) instead of
   * retrying a wrong host forever; `false` turns it off. The same option as
   * core's stream option `firstConnection`.
   * @default { maxAttempts: 10, maxElapsedMs: 120_000 }
   */
  firstConnection?: FirstConnectionBound | false;
  /**
   * On a 429 TooManyConnections, list the app's active connections to the
   * stream and kill the stale ones (connected before this `retryStream`
   * subscription started, and not claimed by `keep`), then reconnect at
   * once; with none killed, or when listing fails, X's policy applies.
   * Once per 429 episode. The same rule as core's `reclaimStaleConnections`
   * stream option; rx has no token, so pass a `ConnectionsClient`. The
   * stream is found from the source's `connecting` URL, or give `endpoint`
   * (the Connections API id, such as `filtered_stream`). Emits `reclaimed`.
   * @default undefined (off)
   */
  reclaimStaleConnections?:
    | ConnectionsClient
    | {
        connections: ConnectionsClient;
        keep?: (connection: Connection) => boolean;
        endpoint?: ConnectionEndpointId;
      };
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
 * before each wait, and `backfill` just before reconnecting with
 * `backfill_minutes`. With `recoverGaps`, outages longer than 5 minutes are
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
  const recoverGaps = config.recoverGaps ?? false;
  if (typeof recoverGaps !== 'boolean') {
    throw new ConfigError(
      `retryStream: recoverGaps must be true or false (got ${String(recoverGaps)}).`,
    );
  }
  if (backfill !== false && backfill !== 'auto') {
    if (!Number.isInteger(backfill) || backfill < 1 || backfill > 5) {
      throw new ConfigError(
        `retryStream: backfill must be 'auto', a whole number of minutes from 1 to 5, or false (got ${String(backfill)}).`,
      );
    }
  }
  const firstConnection = resolveFirstConnection(
    config.firstConnection,
    'retryStream: firstConnection',
  );
  const scheduler = config.scheduler ?? asyncScheduler;
  const reclaim = resolveReclaim(config.reclaimStaleConnections);

  return (source) => {
    if ((backfill !== false || recoverGaps) && !isReconnectable(source)) {
      throw new ConfigError(
        `retryStream: ${backfill !== false ? 'backfill' : 'recoverGaps'} needs a birdstream source: apply retryStream directly to fromFilteredStream()/fromSampleStream(), after operators of @birdstream/rx such as heartbeatTimeout, or wrap your own operators with keepReconnectable().`,
      );
    }
    return new Observable<T | RetryStreamEvent>((subscriber) => {
      const supervisor = new StreamSupervisor({
        maxRetries,
        healthyAfterMs,
        schedule: config.schedule,
        random: config.random,
        policy: config.policy,
        backfill,
        firstConnection,
        recoverGaps,
        reclaim: reclaim !== undefined,
      });
      let inner: Subscription | undefined;
      let pending: Subscription | undefined;
      // The recovery requests running now, by window id (recoverGaps).
      const recoveries = new Map<number, Subscription>();
      // disconnected, reconnecting, backfill, reclaimed, recovery.
      const emit = (result: SupervisorResult) => {
        for (const event of result.events) subscriber.next(event as RetryStreamEvent);
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
                  { connections: () => reclaim.connections, connectionId, keep: reclaim.keep },
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

/** A ConnectionsClient of any copy of core (duck-typed: `instanceof` fails across copies). */
function isConnectionsClient(value: unknown): value is ConnectionsClient {
  const client = value as Partial<ConnectionsClient> | null;
  return (
    typeof client === 'object' &&
    client !== null &&
    typeof client.listAll === 'function' &&
    typeof client.kill === 'function'
  );
}

/** Checks `reclaimStaleConnections`: a client, or `{ connections, keep, endpoint }`. */
function resolveReclaim(option: RetryStreamConfig['reclaimStaleConnections']):
  | {
      connections: ConnectionsClient;
      keep: ((connection: Connection) => boolean) | undefined;
      endpoint: ConnectionEndpointId | undefined;
    }
  | undefined {
  if (option === undefined) return undefined;
  if (isConnectionsClient(option)) {
    return { connections: option, keep: undefined, endpoint: undefined };
  }
  if (
    typeof option !== 'object' ||
    option === null ||
    !isConnectionsClient(option.connections) ||
    (option.keep !== undefined && typeof option.keep !== 'function')
  ) {
    throw new ConfigError(
      'retryStream: reclaimStaleConnections must be a ConnectionsClient or { connections: ConnectionsClient, keep?: (connection) => boolean, endpoint? }.',
    );
  }
  return { connections: option.connections, keep: option.keep, endpoint: option.endpoint };
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
