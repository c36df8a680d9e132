import { STREAM_ENDPOINT_TABLE, type StreamEndpointName } from '@birdstream/core';
import type { MonoTypeOperatorFunction } from 'rxjs';
import { type DedupeByIdConfig, dedupeById } from '../operators/dedupe-by-id.js';

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
 * whose key was seen within `retainMs`. Post streams compare post ids, likes
 * the like id, compliance streams the event identity (kind, object, time),
 * labels the label event, Activity `event_uuid`.
 *
 * @example
 * ```ts
 * fromStream(client, 'users-compliance', { partition: 2 })
 *   .pipe(retryStream({ backfill: 'auto' }), dedupeByEndpoint('users-compliance'), responses());
 * ```
 */
export function dedupeByEndpoint<T>(
  endpoint: StreamEndpointName,
  config: Omit<DedupeByIdConfig<T>, 'key'> = {},
): MonoTypeOperatorFunction<T> {
  return dedupeById<T>({ ...config, key: endpointDedupeKey(endpoint) });
}
