import type { StreamLifecycleEvent, SupervisionEvent } from '@birdstream/core';

/**
 * One message from X that carries a post (`data`), with its `includes`,
 * `matching_rules` and any partial `errors`, exactly as core decoded it.
 */
export interface ResponseEvent<R> {
  type: 'response';
  response: R;
}

/**
 * What a birdstream Observable emits: the stream's responses plus every
 * lifecycle event of core (`connecting`, `connected`, `keep-alive`,
 * `stream-errors`, `payload-invalid`, and from `retryStream` also
 * `disconnected`, `reconnecting`, `backfill`, `reclaimed` and, with
 * `recoverGaps`, `recovery`; `heartbeatTimeout` adds
 * `stalled`). Narrow it with `event.type`, or keep only the posts with
 * `responses()`.
 */
export type StreamEvent<R> = ResponseEvent<R> | StreamLifecycleEvent;

/**
 * The lifecycle events `retryStream` adds to the stream it retries: core's
 * `SupervisionEvent` union (`disconnected`, `reconnecting`, `backfill`,
 * `reclaimed`, `recovery`), the one name in both packages.
 */
export type { SupervisionEvent };

/** Event types produced locally by birdstream, not by anything X sent. */
const LOCAL_EVENT_TYPES: ReadonlySet<string> = new Set([
  'connecting',
  'reconnecting',
  'backfill',
  'reclaimed',
  'disconnected',
  'stalled',
  'duplicate',
  'dedupe-overflow',
  'error',
  'closed',
  'recovery',
  'lag',
  'falling-behind',
  'caught-up',
  'usage',
  'budget-warning',
]);

/** The `type` of a value when it looks like a stream event, else `undefined`. */
export function eventType(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' ? type : undefined;
}

/**
 * True when a value proves the server is alive: a response, a keep-alive, an
 * in-band error, an invalid payload or the `connected` answer. Values that are
 * not stream events at all (custom sources) also count.
 */
export function isServerActivity(value: unknown): boolean {
  const type = eventType(value);
  return type === undefined || !LOCAL_EVENT_TYPES.has(type);
}
