import type { FilteredStreamParams, FilteredStreamResponseFor } from '@birdstream/core';
import type { StreamEvent } from '../events/stream-event.js';
import { type StreamConnector, type StreamSourceConfig, streamEvents } from './from-stream.js';
import type { ReconnectableObservable } from './reconnectable.js';

/**
 * The filtered stream (`GET /2/tweets/search/stream`) as a cold Observable of
 * events, typed by `params`: responses (`data` with the requested fields,
 * `includes`, `matching_rules`), keep-alives and lifecycle events.
 * Subscribing connects; unsubscribing aborts the request. It does not
 * reconnect by itself: pipe it through `retryStream()` (with
 * `heartbeatTimeout()` before it).
 *
 * @example
 * ```ts
 * const client = new StreamClient({ bearerToken: process.env.X_BEARER_TOKEN });
 * fromFilteredStream(client, { expansions: ['author_id'], 'tweet.fields': ['created_at'] })
 *   .pipe(heartbeatTimeout(30_000), retryStream({ backfill: 'auto' }), responses())
 *   .subscribe((response) => console.log(response.data.created_at, response.data.text));
 * ```
 */
export function fromFilteredStream<const P extends FilteredStreamParams = {}>(
  client: StreamConnector,
  params?: P,
  config?: StreamSourceConfig,
): ReconnectableObservable<StreamEvent<FilteredStreamResponseFor<P>>> {
  return streamEvents(client, 'filter', params ?? {}, config);
}
