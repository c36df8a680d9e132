import type { IngestEvent, IngestEventType, PartitionStats } from '@birdstream/redis';
import { parseScrape } from '@birdstream/test-utils';
import { Registry } from 'prom-client';
import { expect, test } from 'vitest';
import { BirdstreamMetrics } from '../src/index.js';

/** An Ingestor's public surface (`on`, `owner`), driven by the test. */
function ingestorEvents(owner: string) {
  const listeners = new Map<IngestEventType, Set<(event: IngestEvent) => void>>();
  return {
    owner,
    on(type: IngestEventType, listener: (event: never) => void) {
      const set = listeners.get(type) ?? new Set();
      listeners.set(type, set);
      set.add(listener as (event: IngestEvent) => void);
      return () => set.delete(listener as (event: IngestEvent) => void);
    },
    emit(event: IngestEvent) {
      for (const listener of listeners.get(event.type) ?? []) listener(event);
    },
  };
}

const partitionStats = (partition: number): PartitionStats => ({
  partition,
  held: false,
  pendingWrites: 0,
  behind: false,
  replaying: false,
  recovering: 0,
  received: 25,
  written: 25,
  duplicates: 26,
  reconnects: 0,
  backfillMinutes: 1,
  recoveredMinutes: 0,
  unrecoverableMinutes: 0,
  claims: 1,
  takeovers: 1,
  lost: 1,
  fallingBehind: 0,
});

const progress = (partition: number, written: number, duplicates: number) =>
  ({
    type: 'progress',
    partition,
    owner: 'w1',
    postsPerSecond: 1,
    lagMs: 2_500,
    writeLagMs: 3_000,
    pendingWrites: 0,
    reconnects: 0,
    written,
    duplicates,
    writtenInInterval: 0,
    duplicatesInInterval: 0,
    behind: false,
    recovering: 0,
  }) as const;

test('an Ingestor: ownership, fencing token, claims, stops, written and duplicates across claims', async () => {
  const registry = new Registry();
  const metrics = new BirdstreamMetrics({ registry });
  const ingestor = ingestorEvents('w1');
  const off = metrics.trackIngestor(ingestor as never, { name: 'firehose' });
  ingestor.emit({ type: 'balance', live: 3, target: 2, held: 1 });
  ingestor.emit({ type: 'claimed', partition: 4, owner: 'w1', token: 7 });
  ingestor.emit({
    type: 'takeover-backfill',
    partition: 4,
    minutes: 1,
    outageMs: 3_000,
    exceedsWindow: false,
    anchor: 0,
    recovery: 'not-needed',
  });
  ingestor.emit({
    type: 'stream',
    partition: 4,
    event: { type: 'connected', attempt: 0, status: 200, headers: {} },
  });
  ingestor.emit(progress(4, 10, 26));
  ingestor.emit(progress(4, 25, 26));
  const w1p4 = { worker: 'w1', partition: '4' };
  let s = await parseScrape(await registry.metrics());
  expect(s.value('birdstream_ingest_partition_owned', w1p4)).toBe(1);
  expect(s.value('birdstream_ingest_lease_fencing_token', w1p4)).toBe(7);
  expect(s.value('birdstream_ingest_written_total', w1p4)).toBe(25);
  expect(s.value('birdstream_ingest_duplicates_total', w1p4)).toBe(26);
  expect(s.value('birdstream_ingest_post_age_seconds', w1p4)).toBe(2.5);
  expect(s.value('birdstream_ingest_takeover_backfill_seconds_total', w1p4)).toBe(60);
  expect(s.value('birdstream_ingest_live_workers', { worker: 'w1' })).toBe(3);
  expect(
    s.value('birdstream_stream_state', { stream: 'firehose', partition: '4', state: 'connected' }),
  ).toBe(1);

  // Lost, then claimed again: the new claim's counts add to the old ones.
  ingestor.emit({ type: 'stopped', partition: 4, reason: 'lost', stats: partitionStats(4) });
  s = await parseScrape(await registry.metrics());
  expect(s.value('birdstream_ingest_partition_owned', w1p4)).toBe(0);
  expect(s.value('birdstream_ingest_partition_stops_total', { ...w1p4, reason: 'lost' })).toBe(1);
  expect(
    s.value('birdstream_stream_state', { stream: 'firehose', partition: '4', state: 'closed' }),
  ).toBe(1);
  ingestor.emit({ type: 'claimed', partition: 4, owner: 'w1', token: 9 });
  ingestor.emit(progress(4, 5, 1));
  ingestor.emit({ type: 'error', error: new Error('write failed') });
  s = await parseScrape(await registry.metrics());
  expect(s.value('birdstream_ingest_claims_total', w1p4)).toBe(2);
  expect(s.value('birdstream_ingest_lease_fencing_token', w1p4)).toBe(9);
  expect(s.value('birdstream_ingest_written_total', w1p4)).toBe(30);
  expect(s.value('birdstream_ingest_duplicates_total', w1p4)).toBe(27);
  expect(s.value('birdstream_ingest_errors_total', { worker: 'w1' })).toBe(1);

  off();
  ingestor.emit(progress(4, 50, 1));
  s = await parseScrape(await registry.metrics());
  expect(s.value('birdstream_ingest_written_total', w1p4)).toBe(30);
});
