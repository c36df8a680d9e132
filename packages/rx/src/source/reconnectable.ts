import { Observable, type OperatorFunction } from 'rxjs';

/** The key under which a reconnectable source keeps its factory (shared by every copy of rx). */
export const RECONNECT: unique symbol = Symbol.for('birdstream.rx.reconnect') as never;

/** What `retryStream` asks a birdstream source for when it resubscribes. */
export interface ReconnectRequest {
  /** 0 for the first connection, then 1, 2, … per reconnect since the last healthy connection. */
  attempt: number;
  /**
   * `backfill_minutes` to send with this connection (1–5), sized to the outage.
   * `undefined` keeps whatever the source's own parameters say.
   */
  backfillMinutes?: number | undefined;
  /**
   * Set when `retryStream({ recoverGaps: true })` asks for a recovery
   * request instead of the live stream: replay the posts created from
   * `startTime` to `endTime` (epoch ms; send them as `start_time`/`end_time`
   * with core's `recoveryTimeParams`, without `backfill_minutes`) and
   * complete when the server has sent them. `fromStream` and the sources
   * built on it do this; a source of your own must honour it before you
   * turn `recoverGaps` on.
   * @default undefined (the live stream)
   */
  recovery?: RecoveryRequest | undefined;
}

/** The window a recovery request replays (epoch ms, the supervisor's `RecoveryWindow`). */
export interface RecoveryRequest {
  /** Replay posts created from this instant (`start_time`, rounded down to the second). */
  startTime: number;
  /** …up to this instant (`end_time`, rounded up to the second). */
  endTime: number;
}

/**
 * A cold Observable that can re-create itself with new connect options.
 * `fromFilteredStream` and `fromSampleStream` return one; `retryStream` uses
 * it to send `backfill_minutes` on reconnection. Subscribing to it directly
 * is the same as reconnecting with `{ attempt: 0 }`.
 */
export interface ReconnectableObservable<T> extends Observable<T> {
  readonly [RECONNECT]: (options: ReconnectRequest) => Observable<T>;
}

/**
 * Makes a cold source that `retryStream` can reconnect with options (such as
 * `backfill_minutes`). `factory` is called on every subscription; the plain
 * subscription passes `{ attempt: 0 }`.
 *
 * @example
 * ```ts
 * const source = reconnectable(({ attempt, backfillMinutes }) =>
 *   defer(() => myConnect({ backfillMinutes })),
 * );
 * source.pipe(retryStream({ backfill: 'auto' }));
 * ```
 */
export function reconnectable<T>(
  factory: (options: ReconnectRequest) => Observable<T>,
): ReconnectableObservable<T> {
  const observable = new Observable<T>((subscriber) =>
    factory({ attempt: 0 }).subscribe(subscriber),
  );
  Object.defineProperty(observable, RECONNECT, { value: factory, enumerable: false });
  return observable as ReconnectableObservable<T>;
}

/** True for an Observable made by `reconnectable()` (any copy of this package). */
export function isReconnectable<T>(value: Observable<T>): value is ReconnectableObservable<T> {
  return typeof (value as Partial<ReconnectableObservable<T>>)[RECONNECT] === 'function';
}

/** The source re-created with `options`; a plain Observable is returned as is. */
export function reconnectWith<T>(source: Observable<T>, options: ReconnectRequest): Observable<T> {
  return isReconnectable(source) ? source[RECONNECT](options) : source;
}

/**
 * Wraps an operator so that, applied to a reconnectable source, its result is
 * reconnectable too: on reconnection the operator is applied again to the
 * re-created source. Use it for your own operators placed between a
 * birdstream source and `retryStream` (the operators of this package that
 * belong there, such as `heartbeatTimeout`, already do this).
 *
 * @example
 * ```ts
 * fromFilteredStream(client, params).pipe(
 *   keepReconnectable(tap((event) => metrics.count(event.type))),
 *   retryStream({ backfill: 'auto' }),
 * );
 * ```
 */
export function keepReconnectable<T, R>(operator: OperatorFunction<T, R>): OperatorFunction<T, R> {
  return (source) => {
    if (!isReconnectable(source)) return operator(source);
    const upstream = source[RECONNECT];
    return reconnectable((options) => operator(upstream(options)));
  };
}
