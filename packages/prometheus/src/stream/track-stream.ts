import type {
  EndpointStream,
  PartitionedStream,
  StreamLifecycleEvent,
  StreamLifecycleEventType,
  StreamStats,
} from '@birdstream/core';
import { emptyPulled, type PulledFigures, type StreamFigures } from './stream-figures.js';

/** The lifecycle events the stream families count. */
export const COUNTED_EVENTS: readonly StreamLifecycleEventType[] = [
  'connecting',
  'connected',
  'keep-alive',
  'duplicate',
  'payload-invalid',
  'reconnecting',
  'stalled',
  'backfill',
  'recovery',
  'lag',
  'error',
  'closed',
];

/** The pulled figures of one connection's `stats`. */
export function pulledFrom(stats: Readonly<StreamStats>, crossDuplicates = 0): PulledFigures {
  const figures = emptyPulled();
  figures.posts = stats.delivered - crossDuplicates;
  figures.messages = stats.received;
  figures.bytes = stats.bytes;
  figures.lastByteAt = stats.lastByteAt;
  figures.unrecognized = stats.unrecognized;
  for (const { kind, count } of stats.drift ?? []) {
    figures.drift.set(kind, (figures.drift.get(kind) ?? 0) + count);
  }
  return figures;
}

/**
 * Listens to a core `EndpointStream`: its events feed `figures`, and its
 * `stats` are pulled at every scrape. Returns the function that stops it.
 */
export function trackEndpointStream(
  stream: EndpointStream<unknown>,
  figures: StreamFigures,
): () => void {
  const offs = COUNTED_EVENTS.map((type) =>
    stream.on(type, (event) => figures.apply(event as StreamLifecycleEvent)),
  );
  const detach = figures.attach(() => pulledFrom(stream.stats));
  return () => {
    for (const off of offs) off();
    detach();
  };
}

/**
 * Listens to a `PartitionedStream`, one `StreamFigures` per partition. A
 * partition's posts are those its connection delivered less those the
 * merge dropped because another partition had delivered them first (its
 * `duplicate` events beyond its own `stats.duplicates`), so the partitions
 * add up to what the consumer got.
 */
export function trackPartitionedStream(
  stream: PartitionedStream<unknown>,
  figuresOf: (partition: number) => StreamFigures,
): () => void {
  const duplicateEvents = new Map<number, number>();
  const offs = COUNTED_EVENTS.map((type) =>
    stream.on(type, (event) => {
      const { partition } = event as { partition: number };
      if (event.type === 'duplicate') {
        duplicateEvents.set(partition, (duplicateEvents.get(partition) ?? 0) + 1);
      }
      figuresOf(partition).apply(event as StreamLifecycleEvent);
    }),
  );
  const detaches = stream.partitions.map((partition) =>
    figuresOf(partition).attach(() => {
      const stats = stream.stats.partitions[partition];
      if (stats === undefined) return emptyPulled();
      const cross = Math.max(0, (duplicateEvents.get(partition) ?? 0) - stats.duplicates);
      return pulledFrom(stats, cross);
    }),
  );
  return () => {
    for (const off of offs) off();
    for (const detach of detaches) detach();
  };
}
