import {
  STREAM_ENDPOINT_TABLE,
  type StreamEndpointName,
  type StreamParamsFor,
  type StreamResponseFor,
} from '@birdstream/core';
import type { MonoTypeOperatorFunction } from 'rxjs';
import type { StreamEvent } from '../events/stream-event.js';
import { type DedupeByIdConfig, dedupeById } from '../operators/dedupe-by-id.js';
import { fromStream, type StreamConnector, type StreamSourceConfig } from './from-stream.js';
import type { ReconnectableObservable } from './reconnectable.js';

/**
 * Any stream of core's endpoint table (`'firehose-en'`, `'likes-firehose'`,
 * `'tweets-compliance'`, `'labels'`, `'activity'`, …) as a cold Observable
 * of events, its responses typed by the endpoint and `params` (likes and
 * posts narrowed by the requested fields). The same events and the same
 * pipeline as `fromFilteredStream`; pair backfill with
 * `dedupeByEndpoint(endpoint)` so replayed compliance events are dropped by
 * their identity, not by post id.
 *
 * @example
 * ```ts
 * fromEndpoint(client, 'tweets-compliance', { partition: 1 })
 *   .pipe(
 *     heartbeatTimeout(30_000),
 *     retryStream({ backfill: 'auto' }),
 *     dedupeByEndpoint('tweets-compliance'),
 *     tweets(),
 *   )
 *   .subscribe(({ data }) => console.log(complianceEvent(data)?.kind));
 * ```
 */
export function fromEndpoint<
  N extends StreamEndpointName,
  const P extends StreamParamsFor<N> = StreamParamsFor<N>,
>(
  client: StreamConnector,
  endpoint: N,
  params: P,
  config?: StreamSourceConfig,
): ReconnectableObservable<StreamEvent<StreamResponseFor<N, P>>> {
  return fromStream<StreamResponseFor<N, P>>(client, endpoint, params, config);
}

/**
 * The dedupe key of `endpoint`'s messages (from core's endpoint table), for
 * `dedupeById({ key })`: it reads `response` events and bare responses
 * alike, and lets every other event through.
 */
export function endpointDedupeKey(
  endpoint: StreamEndpointName,
): (value: unknown) => string | undefined {
  const row = STREAM_ENDPOINT_TABLE[endpoint];
  if (row === undefined) return () => undefined;
  return (value) => {
    if (typeof value !== 'object' || value === null) return undefined;
    const event = value as { type?: unknown; response?: unknown };
    if (typeof event.type === 'string') {
      return event.type === 'response' ? row.dedupeKey(event.response) : undefined;
    }
    return row.dedupeKey(value);
  };
}

/**
 * `dedupeById` with `endpoint`'s own dedupe key: drops a response (event)
 * whose key was seen among the last `window` keys. Post streams compare
 * post ids, likes the like id, compliance streams the event identity
 * (kind, object, time), labels the label event, Activity `event_uuid`.
 *
 * @example
 * ```ts
 * fromEndpoint(client, 'users-compliance', { partition: 2 })
 *   .pipe(retryStream({ backfill: 'auto' }), dedupeByEndpoint('users-compliance'), tweets());
 * ```
 */
export function dedupeByEndpoint<T>(
  endpoint: StreamEndpointName,
  config: Omit<DedupeByIdConfig<T>, 'key'> = {},
): MonoTypeOperatorFunction<T> {
  return dedupeById<T>({ ...config, key: endpointDedupeKey(endpoint) });
}
