import type {
  EndpointStream,
  StreamLifecycleEvent,
  StreamLifecycleEventType,
} from '@birdstream/core';

const TYPES: StreamLifecycleEventType[] = [
  'connecting',
  'connected',
  'keep-alive',
  'stream-errors',
  'reconnecting',
  'backfill',
  'stalled',
  'disconnected',
  'payload-invalid',
  'duplicate',
  'error',
  'closed',
  'recovery',
  'reclaimed',
];

/** Records every lifecycle event of `stream`, in order. */
export function recordEvents(stream: EndpointStream<unknown>): StreamLifecycleEvent[] {
  const events: StreamLifecycleEvent[] = [];
  for (const type of TYPES) stream.on(type, (event) => events.push(event));
  return events;
}

/** The event types in order, skipping keep-alives unless asked. */
export function typesOf(events: StreamLifecycleEvent[], keepAlives = false): string[] {
  return events.map((e) => e.type).filter((t) => keepAlives || t !== 'keep-alive');
}

/** The events of one type. */
export function ofType<K extends StreamLifecycleEventType>(
  events: StreamLifecycleEvent[],
  type: K,
): Extract<StreamLifecycleEvent, { type: K }>[] {
  return events.filter((e): e is Extract<StreamLifecycleEvent, { type: K }> => e.type === type);
}
