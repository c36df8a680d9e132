import type { IngestEvent, Ingestor } from '@birdstream/redis';
import type { StreamFigures } from '../stream/stream-figures.js';
import type { IngestFigures } from './ingest-figures.js';

/** What the collector reads from an `Ingestor`. */
export type TrackedIngestor = Pick<Ingestor, 'on' | 'owner' | 'stats'>;

/**
 * The one place where an `Ingestor` becomes figures. At every scrape the
 * collector reads `stats()` (once per scrape): per partition whether this
 * worker holds it, the lease (fencing token, renewal, expiry), the
 * cumulative counts (received, written, duplicates, reconnects, backfill,
 * recovered and unrecoverable minutes, claims, takeovers, leases lost,
 * falling behind) and the gauges (post age, write lag, pending writes,
 * behind, replaying, recovery windows); per worker the live workers, its
 * target and the partitions it holds. So a scrape is exact and current,
 * whatever `progressIntervalMs` is.
 *
 * Events give only what `stats()` lacks:
 * - `stopped` (partition, reason): stops by reason;
 * - `takeover-backfill` (partition, minutes): the time asked for on takeover alone;
 * - `error`: a count;
 * - `claimed` and `stream` (a lifecycle event of a partition's connection): the
 *   stream families (connection state, connections, reconnects by reason,
 *   stalls, backfill, recovery, invalid messages).
 */
export function watchIngestor(
  ingestor: TrackedIngestor,
  figures: IngestFigures,
  streamFigures: (partition: number) => StreamFigures,
): () => void {
  const handle = (event: IngestEvent): void => {
    switch (event.type) {
      case 'claimed':
        streamFigures(event.partition).state = 'connecting';
        return;
      case 'stopped': {
        const { stops } = figures.partition(event.partition);
        stops.set(event.reason, (stops.get(event.reason) ?? 0) + 1);
        streamFigures(event.partition).apply({ type: 'closed' });
        return;
      }
      case 'takeover-backfill':
        figures.partition(event.partition).takeoverBackfillSeconds += event.minutes * 60;
        return;
      case 'stream':
        streamFigures(event.partition).apply(event.event);
        return;
      case 'error':
        figures.errors++;
        return;
    }
  };
  const offs = (['claimed', 'stopped', 'takeover-backfill', 'stream', 'error'] as const).map(
    (type) => ingestor.on(type, handle),
  );
  const detach = figures.attach(() => ingestor.stats());
  return () => {
    for (const off of offs) off();
    detach();
  };
}
