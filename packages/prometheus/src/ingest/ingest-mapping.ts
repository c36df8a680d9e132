import type { IngestEvent, Ingestor } from '@birdstream/redis';
import type { StreamFigures } from '../stream/stream-figures.js';
import type { IngestFigures } from './ingest-figures.js';

/**
 * The one place where an `Ingestor`'s public events become figures. What
 * the collector reads from the Ingestor:
 * - `owner` (the `worker` label);
 * - `claimed` (partition, fencing token): the partition is owned, a claim counted;
 * - `stopped` (partition, reason): no longer owned, a stop counted by reason;
 * - `progress` (partition, `written` and `duplicates` since the claim, `lagMs`):
 *   the written and duplicate counters (claims add up), the post age;
 * - `takeover-backfill` (partition, minutes): the time asked for on takeover;
 * - `balance` (live, target, held): the worker gauges;
 * - `stream` (partition, a lifecycle event of its connection): the stream families
 *   (reconnects by reason, stalls, backfill, connection state, invalid messages);
 * - `error`: a count.
 * Written and duplicates are as fresh as the last `progress` event (every
 * `progressIntervalMs`); a partition stopped between two reports keeps the
 * figures of the last one.
 */
export function watchIngestor(
  ingestor: Pick<Ingestor, 'on'>,
  figures: IngestFigures,
  streamFigures: (partition: number) => StreamFigures,
): () => void {
  const handle = (event: IngestEvent): void => {
    switch (event.type) {
      case 'claimed':
        figures.partition(event.partition).claimed(event.token);
        streamFigures(event.partition).state = 'connecting';
        return;
      case 'stopped': {
        const partition = figures.partition(event.partition);
        partition.owned = false;
        partition.stops.set(event.reason, (partition.stops.get(event.reason) ?? 0) + 1);
        streamFigures(event.partition).apply({ type: 'closed' });
        return;
      }
      case 'progress': {
        const partition = figures.partition(event.partition);
        // A progress report can only come from a partition this worker reads.
        partition.written = Math.max(partition.written, event.written);
        partition.duplicates = Math.max(partition.duplicates, event.duplicates);
        partition.postAgeMs = event.lagMs;
        return;
      }
      case 'takeover-backfill':
        figures.partition(event.partition).takeoverBackfillSeconds += event.minutes * 60;
        return;
      case 'balance':
        figures.liveWorkers = event.live;
        figures.targetPartitions = event.target;
        figures.heldPartitions = event.held;
        return;
      case 'stream':
        streamFigures(event.partition).apply(event.event);
        return;
      case 'error':
        figures.errors++;
        return;
    }
  };
  const offs = (
    ['claimed', 'stopped', 'progress', 'takeover-backfill', 'balance', 'stream', 'error'] as const
  ).map((type) => ingestor.on(type, handle));
  return () => {
    for (const off of offs) off();
  };
}
