import {
  ConfigError,
  type ConnectOptions,
  itemTime,
  LagMeter,
  type LagOptions,
  recoveryTimeParams,
  type StreamClient,
  type StreamConnection,
  type StreamEndpointName,
  type StreamResponse,
  type Tweet,
} from '@birdstream/core';
import {
  connectedEvent,
  connectingEvent,
  lagEvents,
  operationalDisconnectError,
  resolveLag,
  serverEndedError,
  translateMessage,
} from '@birdstream/core/internal';
import { asyncScheduler, Observable, type SchedulerLike } from 'rxjs';
import type { StreamEvent } from '../events/stream-event.js';
import {
  type ReconnectableObservable,
  type RecoveryRequest,
  reconnectable,
} from './reconnectable.js';

/**
 * What the sources need from a client: core's `StreamClient` (or anything
 * shaped like it): `streamUrl` for the `connecting` event's URL and
 * `connect` to open the connection, which requests that same URL.
 */
export type StreamConnector = Pick<StreamClient, 'connect' | 'streamUrl'>;

/** Options of `fromFilteredStream`, `fromSampleStream` and `fromStream`. */
export interface StreamSourceConfig {
  /**
   * `'strict'` checks every message against core's schemas and reports a
   * non-conforming one as a `payload-invalid` event; `'off'` only parses
   * JSON (ids stay exact), for the highest throughput.
   * @default 'strict'
   */
  validate?: 'strict' | 'off';
  /**
   * Largest message accepted, in bytes; a longer one is skipped and reported
   * as `payload-invalid` (kind `oversize`).
   * @default 16 MiB (core's default)
   */
  maxMessageBytes?: number;
  /** Scheduler whose clock stamps `keep-alive` events (`at`) and times the lag measurements. @default asyncScheduler */
  scheduler?: SchedulerLike;
  /**
   * Lag measurements, as core's streams make them: a `lag` event every
   * `intervalMs` at most (age of recent posts, how long each `next` of the
   * subscriber took), and `falling-behind` / `caught-up` events. An
   * Observable does not wait for its subscriber, so work done after an
   * asynchronous boundary (`concatMap`, `observeOn`) is not counted as
   * holding: watch the posts' age (`posts-aging`) there. `false` turns
   * them off.
   * @default { intervalMs: 5_000, maxAgeMs: 30_000, maxConsumerShare: 0.9 }
   */
  lag?: LagOptions | false;
}

/**
 * A cold, reconnectable Observable of one stream endpoint's events. Each
 * subscription opens one connection (`client.connect`) and emits
 * `connecting`, `connected`, then `response` (one per post), `keep-alive`,
 * `stream-errors` and `payload-invalid` events. A drop errors it with a
 * typed error — the `ApiError` subclass or `ConnectionError` core reports,
 * or `ConnectionError` when the server ends the body or announces an
 * operational disconnect — so `retryStream` can reconnect. A recovery
 * request (`start_time`/`end_time` in `params`, or a window `retryStream`'s
 * `recoverGaps` asks for) completes when the server ends it.
 * Unsubscribing aborts the request at once.
 *
 * `fromFilteredStream` and `fromSampleStream` type the responses by their
 * parameters; for sample10 and the firehose pass the response type.
 *
 * @example
 * ```ts
 * const params = { partition: 1, 'tweet.fields': ['lang'] } as const;
 * fromStream<SampleStreamResponseFor<typeof params>>(client, 'firehose', params)
 *   .pipe(heartbeatTimeout(30_000), retryStream(), responses());
 * ```
 */
export function fromStream<R = StreamResponse & { data: Tweet }>(
  client: StreamConnector,
  endpoint: StreamEndpointName,
  params: object,
  config: StreamSourceConfig = {},
): ReconnectableObservable<StreamEvent<R>> {
  if (
    typeof client !== 'object' ||
    client === null ||
    typeof client.connect !== 'function' ||
    typeof client.streamUrl !== 'function'
  ) {
    throw new ConfigError('Pass a StreamClient from @birdstream/core as the first argument.');
  }
  if (typeof params !== 'object' || params === null) {
    throw new ConfigError(
      "Stream parameters must be an object such as { expansions: ['author_id'] }.",
    );
  }
  const scheduler = config.scheduler ?? asyncScheduler;
  const lagOptions = resolveLag(config.lag);
  const { start_time: startTime, end_time: endTime } = params as {
    start_time?: unknown;
    end_time?: unknown;
  };
  const replaysWindow = startTime !== undefined || endTime !== undefined;

  return reconnectable<StreamEvent<R>>(
    ({ attempt, backfillMinutes: requestedBackfill, recovery: window }) =>
      new Observable<StreamEvent<R>>((subscriber) => {
        const controller = new AbortController();
        let connection: StreamConnection<unknown> | undefined;
        // A recovery (retryStream's recoverGaps) replays its window: no backfill of its own.
        const requestParams = window === undefined ? params : recoveryParams(params, window);
        const backfillMinutes = window === undefined ? requestedBackfill : undefined;
        const recovery = replaysWindow || window !== undefined;
        // Throws a ConfigError for bad parameters; the Observable then errors with it.
        const url = client.streamUrl(endpoint, requestParams, backfillMinutes);
        subscriber.next(connectingEvent(attempt, url, backfillMinutes));

        const options: ConnectOptions = { signal: controller.signal };
        if (config.validate !== undefined) options.validate = config.validate;
        if (config.maxMessageBytes !== undefined) options.maxMessageBytes = config.maxMessageBytes;
        if (backfillMinutes !== undefined) options.backfillMinutes = backfillMinutes;

        const run = async () => {
          connection = await client.connect<unknown>(endpoint, requestParams, options);
          if (subscriber.closed) {
            // Unsubscribed while the response headers were arriving.
            await connection.close();
            return;
          }
          subscriber.next(connectedEvent(attempt, connection));
          // A recovery replays old posts on purpose: their age is not lag.
          const lag =
            lagOptions === false || window !== undefined
              ? undefined
              : new LagMeter(lagOptions, scheduler.now());
          // One translation of messages into events, core's (EndpointStream uses the same).
          for await (const message of connection) {
            if (subscriber.closed) return;
            const translated = translateMessage<R>(message, scheduler.now());
            if (lag !== undefined) {
              lag.waiting(0, connection.bytesWithoutMessage ?? 0);
              const tick = lag.tick(scheduler.now());
              if (tick !== undefined) for (const event of lagEvents(tick)) subscriber.next(event);
            }
            if (translated.kind !== 'response') {
              subscriber.next(translated.event);
              continue;
            }
            if (translated.errors) subscriber.next(translated.errors);
            if (translated.post !== undefined) {
              lag?.received(scheduler.now(), itemTime(translated.post));
              lag?.delivered(scheduler.now());
              subscriber.next({ type: 'response', response: translated.post });
              lag?.released(scheduler.now());
            }
            if (translated.disconnect) {
              subscriber.error(operationalDisconnectError(translated.slowReader));
              return;
            }
          }
          if (subscriber.closed) return;
          if (recovery) subscriber.complete();
          else subscriber.error(serverEndedError());
        };

        run().catch((error: unknown) => {
          if (!subscriber.closed) subscriber.error(error);
        });
        return () => {
          controller.abort();
          void connection?.close();
        };
      }),
  );
}

/** The live parameters turned into a recovery request for `window`: `start_time`/`end_time`, no backfill. */
function recoveryParams(params: object, window: RecoveryRequest): object {
  const { backfill_minutes: _, ...live } = params as { backfill_minutes?: unknown };
  return { ...live, ...recoveryTimeParams(window) };
}
