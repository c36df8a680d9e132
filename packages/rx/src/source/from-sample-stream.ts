import type { SampleStreamParams, SampleStreamResponseFor } from '@birdstream/core';
import type { StreamEvent } from '../events/stream-event.js';
import { type StreamConnector, type StreamSourceConfig, streamEvents } from './from-stream.js';
import type { ReconnectableObservable } from './reconnectable.js';

/**
 * The 1 % sample stream (`GET /2/tweets/sample/stream`) as a cold Observable
 * of events, typed by `params`; the same events as `fromFilteredStream`,
 * without `matching_rules`. For any other stream use `fromStream`.
 *
 * @example
 * ```ts
 * fromSampleStream(client, { 'tweet.fields': ['lang'] })
 *   .pipe(heartbeatTimeout(30_000), retryStream(), responses())
 *   .subscribe((response) => console.log(response.data.lang));
 * ```
 */
export function fromSampleStream<const P extends SampleStreamParams = {}>(
  client: StreamConnector,
  params?: P,
  config?: StreamSourceConfig,
): ReconnectableObservable<StreamEvent<SampleStreamResponseFor<P>>> {
  return streamEvents(client, 'sample', params ?? {}, config);
}
