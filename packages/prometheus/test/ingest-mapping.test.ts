import { ConnectionError } from '@birdstream/core';
import type {
  IngestEvent,
  IngestEventType,
  IngestorStats,
  IngestTotals,
  PartitionStats,
} from '@birdstream/redis';
import { parseScrape } from '@birdstream/test-utils';
import { Registry } from 'prom-client';
import { describe, expect, test } from 'vitest';
import { BirdstreamMetrics } from '../src/index.js';

/** An Ingestor's public surface (`on`, `owner`, `stats()`), driven by the test. */
function fakeIngestor(owner: string) {
  const listeners = new Map<IngestEventType, Set<(event: IngestEvent) => void>>();
  const fake = {
    owner,
    /** What `stats()` answers: the test sets it. */
    current: { owner, liveWorkers: undefined, target: undefined, held: [], partitions: [] } as Omit<
      IngestorStats,
      'totals'
    >,
    statsCalls: 0,
    on(type: IngestEventType, listener: (event: never) => void) {
      const set = listeners.get(type) ?? new Set();
      listeners.set(type, set);
      set.add(listener as (event: IngestEvent) => void);
      return () => set.delete(listener as (event: IngestEvent) => void);
    },
    emit(event: IngestEvent) {
      for (const listener of listeners.get(event.type) ?? []) listener(event);
    },
    stats(): IngestorStats {
      fake.statsCalls++;
      // A snapshot, as the Ingestor's is: later changes by the test do not reach it.
      return structuredClone({ ...fake.current, totals: zeros() });
    },
  };
  return fake;
}

const zeros = (): IngestTotals => ({
  received: 0,
  written: 0,
  duplicates: 0,
  reconnects: 0,
  backfillMinutes: 0,
  recoveredMinutes: 0,
  unrecoverableMinutes: 0,
  claims: 0,
  takeovers: 0,
  lost: 0,
  fallingBehind: 0,
});

/** A partition this worker holds, every count distinct so a swapped field shows. */
const heldPartition = (partition: number): PartitionStats => ({
  partition,
  received: 101,
  written: 83,
  duplicates: 17,
  reconnects: 3,
  backfillMinutes: 7,
  recoveredMinutes: 11,
  unrecoverableMinutes: 2,
  claims: 4,
  takeovers: 5,
  lost: 6,
  fallingBehind: 9,
  held: true,
  lease: { token: 42, renewedAt: 1_767_225_600_250, expiresAt: 1_767_225_601_750 },
  claimedAt: 1_767_225_500_000,
  previousOwner: 'w0',
  lagMs: 2_500,
  writeLagMs: 3_250,
  pendingWrites: 12,
  behind: true,
  replaying: true,
  recovering: 2,
});

const scrapeOf = async (registry: Registry) => parseScrape(await registry.metrics());

/** A registry with one collector tracking a fake Ingestor of worker `w1` whose stats() are `current`. */
function trackedIngestor(current: Omit<IngestorStats, 'totals' | 'owner'>) {
  const registry = new Registry();
  const metrics = new BirdstreamMetrics({ registry });
  const ingestor = fakeIngestor('w1');
  ingestor.current = { owner: 'w1', ...current };
  metrics.trackIngestor(ingestor, { name: 'firehose' });
  return { registry, ingestor };
}

describe('BirdstreamMetrics.trackIngestor: stats() read at every scrape', () => {
  test('every count and gauge of stats(), exactly, in base units', async () => {
    const { registry } = trackedIngestor({
      liveWorkers: 3,
      target: 2,
      held: [4],
      partitions: [heldPartition(4)],
    });
    const s = await scrapeOf(registry);
    const l = { worker: 'w1', partition: '4' };
    const expected: Record<string, number> = {
      birdstream_ingest_partition_owned: 1,
      birdstream_ingest_lease_fencing_token: 42,
      birdstream_ingest_lease_renewed_timestamp_seconds: 1_767_225_600.25,
      birdstream_ingest_lease_expiry_timestamp_seconds: 1_767_225_601.75,
      birdstream_ingest_claimed_timestamp_seconds: 1_767_225_500,
      birdstream_ingest_claims_total: 4,
      birdstream_ingest_takeovers_total: 5,
      birdstream_ingest_leases_lost_total: 6,
      birdstream_ingest_received_total: 101,
      birdstream_ingest_written_total: 83,
      birdstream_ingest_duplicates_total: 17,
      birdstream_ingest_reconnects_total: 3,
      birdstream_ingest_backfill_requested_seconds_total: 420,
      birdstream_ingest_recovered_seconds_total: 660,
      birdstream_ingest_unrecoverable_seconds_total: 120,
      birdstream_ingest_falling_behind_total: 9,
      birdstream_ingest_partition_behind: 1,
      birdstream_ingest_partition_replaying: 1,
      birdstream_ingest_recovery_windows_pending: 2,
      birdstream_ingest_pending_writes: 12,
      birdstream_ingest_post_age_seconds: 2.5,
      birdstream_ingest_write_lag_seconds: 3.25,
      // Events only, none yet.
      birdstream_ingest_takeover_backfill_seconds_total: 0,
    };
    for (const [name, value] of Object.entries(expected)) {
      expect([name, s.value(name, l)]).toEqual([name, value]);
    }
    expect(s.value('birdstream_ingest_live_workers', { worker: 'w1' })).toBe(3);
    expect(s.value('birdstream_ingest_target_partitions', { worker: 'w1' })).toBe(2);
    expect(s.value('birdstream_ingest_held_partitions', { worker: 'w1' })).toBe(1);
    expect(s.value('birdstream_ingest_errors_total', { worker: 'w1' })).toBe(0);
    expect(s.samples('birdstream_ingest_partition_stops_total')).toEqual([]);
    // Every ingest family with a series is one stats() covers or one of the event families.
    const ingestFamilies = BirdstreamMetrics.families.filter((f) => f.name.startsWith('ingest_'));
    for (const family of ingestFamilies) {
      if (family.name === 'ingest_partition_stops_total') continue;
      expect([family.name, s.samples(`birdstream_${family.name}`).length]).toEqual([
        family.name,
        1,
      ]);
    }
  });

  test('a scrape is as fresh as stats(): no progress event needed, one stats() per scrape', async () => {
    const { registry, ingestor } = trackedIngestor({
      liveWorkers: 1,
      target: 6,
      held: [1],
      partitions: [{ ...heldPartition(1), written: 10 }],
    });
    const l = { worker: 'w1', partition: '1' };
    expect((await scrapeOf(registry)).value('birdstream_ingest_written_total', l)).toBe(10);
    expect(ingestor.statsCalls).toBe(1);
    ingestor.current.partitions[0]!.written = 11;
    expect((await scrapeOf(registry)).value('birdstream_ingest_written_total', l)).toBe(11);
    expect(ingestor.statsCalls).toBe(2);
  });

  test('a partition stopped: its counts stay exact, its lease and lag gauges go, owned is 0', async () => {
    const { registry, ingestor } = trackedIngestor({
      liveWorkers: 2,
      target: 1,
      held: [],
      partitions: [
        {
          ...heldPartition(2),
          held: false,
          lease: undefined,
          lagMs: undefined,
          writeLagMs: undefined,
          pendingWrites: 0,
          behind: false,
          replaying: false,
          recovering: 0,
        },
      ],
    });
    ingestor.emit({ type: 'claimed', partition: 2, owner: 'w1', token: 42 });
    ingestor.emit({
      type: 'stopped',
      partition: 2,
      reason: 'lost',
      stats: ingestor.stats().partitions[0]!,
    });
    const s = await scrapeOf(registry);
    const l = { worker: 'w1', partition: '2' };
    expect(s.value('birdstream_ingest_partition_owned', l)).toBe(0);
    expect(s.value('birdstream_ingest_written_total', l)).toBe(83);
    expect(s.value('birdstream_ingest_partition_stops_total', { ...l, reason: 'lost' })).toBe(1);
    expect(s.value('birdstream_ingest_partition_behind', l)).toBe(0);
    expect(s.value('birdstream_ingest_pending_writes', l)).toBe(0);
    for (const gone of [
      'lease_fencing_token',
      'lease_renewed_timestamp_seconds',
      'lease_expiry_timestamp_seconds',
      'claimed_timestamp_seconds',
      'post_age_seconds',
      'write_lag_seconds',
    ]) {
      expect([gone, s.samples(`birdstream_ingest_${gone}`)]).toEqual([gone, []]);
    }
    expect(s.value('birdstream_ingest_held_partitions', { worker: 'w1' })).toBe(0);
    expect(
      s.value('birdstream_stream_state', { stream: 'firehose', partition: '2', state: 'closed' }),
    ).toBe(1);
  });

  test('events give what stats() lacks: stops by reason, takeover backfill, errors, the connections', async () => {
    const { registry, ingestor } = trackedIngestor({
      liveWorkers: 1,
      target: 1,
      held: [4],
      partitions: [heldPartition(4)],
    });
    ingestor.emit({ type: 'claimed', partition: 4, owner: 'w1', token: 7 });
    const conn = { stream: 'firehose', partition: '4' };
    let s = await scrapeOf(registry);
    expect(s.value('birdstream_stream_state', { ...conn, state: 'connecting' })).toBe(1);
    // The partition's posts are the ingest families' (received, written): no stream posts series
    // that would say 0 while it ingests.
    expect(s.value('birdstream_stream_posts_total', conn)).toBeUndefined();
    ingestor.emit({
      type: 'takeover-backfill',
      partition: 4,
      minutes: 3,
      outageMs: 150_000,
      exceedsWindow: false,
      anchor: 0,
      recovery: 'not-needed',
    });
    ingestor.emit({
      type: 'stream',
      partition: 4,
      event: { type: 'connected', attempt: 0, status: 200, headers: {} },
    });
    ingestor.emit({
      type: 'stream',
      partition: 4,
      event: {
        type: 'reconnecting',
        attempt: 1,
        delayMs: 250,
        failure: 'network',
        reason: new ConnectionError('socket hang up'),
        previous: 'lost',
      },
    });
    for (const reason of ['released', 'expiring', 'expiring'] as const) {
      ingestor.emit({ type: 'stopped', partition: 4, reason, stats: heldPartition(4) });
    }
    ingestor.emit({ type: 'error', error: new Error('write failed') });
    s = await scrapeOf(registry);
    const l = { worker: 'w1', partition: '4' };
    expect(s.value('birdstream_ingest_takeover_backfill_seconds_total', l)).toBe(180);
    expect(s.value('birdstream_ingest_partition_stops_total', { ...l, reason: 'released' })).toBe(
      1,
    );
    expect(s.value('birdstream_ingest_partition_stops_total', { ...l, reason: 'expiring' })).toBe(
      2,
    );
    expect(s.value('birdstream_ingest_errors_total', { worker: 'w1' })).toBe(1);
    expect(s.value('birdstream_stream_connections_total', conn)).toBe(1);
    expect(s.value('birdstream_stream_reconnects_total', { ...conn, reason: 'network' })).toBe(1);
    expect(s.value('birdstream_stream_state', { ...conn, state: 'closed' })).toBe(1);
    // What stats() has is read from it, not counted from these events.
    expect(s.value('birdstream_ingest_reconnects_total', l)).toBe(3);
  });

  test('untracked, the counts stay; an Ingestor tracked again under the same owner adds to them', async () => {
    const registry = new Registry();
    const metrics = new BirdstreamMetrics({ registry });
    const first = fakeIngestor('w1');
    first.current = {
      owner: 'w1',
      liveWorkers: 1,
      target: 1,
      held: [4],
      partitions: [heldPartition(4)],
    };
    const off = metrics.trackIngestor(first, { name: 'firehose' });
    ingestorClosed(first);
    off();
    off(); // a second call folds nothing in again
    // Untracked: stats() is no longer read, its last counts stay, its gauges are gone.
    first.current.partitions[0]!.written = 10_000;
    const l = { worker: 'w1', partition: '4' };
    let s = await scrapeOf(registry);
    expect(s.value('birdstream_ingest_written_total', l)).toBe(83);
    expect(s.value('birdstream_ingest_claims_total', l)).toBe(4);
    expect(s.samples('birdstream_ingest_partition_owned')).toEqual([]);
    expect(s.samples('birdstream_ingest_live_workers')).toEqual([]);

    const second = fakeIngestor('w1');
    second.current = {
      owner: 'w1',
      liveWorkers: 1,
      target: 1,
      held: [4],
      partitions: [{ ...heldPartition(4), written: 5, claims: 1 }],
    };
    metrics.trackIngestor(second, { name: 'firehose' });
    s = await scrapeOf(registry);
    expect(s.value('birdstream_ingest_written_total', l)).toBe(88);
    expect(s.value('birdstream_ingest_claims_total', l)).toBe(5);
    expect(s.value('birdstream_ingest_partition_owned', l)).toBe(1);
  });

  test('workers are told apart by owner; partitions by number', async () => {
    const registry = new Registry();
    const metrics = new BirdstreamMetrics({ registry });
    const [a, b] = [fakeIngestor('w1'), fakeIngestor('w2')];
    a.current = {
      owner: 'w1',
      liveWorkers: 2,
      target: 1,
      held: [1],
      partitions: [heldPartition(1), { ...heldPartition(2), held: false, written: 3 }],
    };
    b.current = {
      owner: 'w2',
      liveWorkers: 2,
      target: 1,
      held: [2],
      partitions: [{ ...heldPartition(2), written: 40 }],
    };
    metrics.trackIngestor(a, { name: 'firehose' });
    metrics.trackIngestor(b, { name: 'firehose' });
    const s = await scrapeOf(registry);
    expect(s.sum('birdstream_ingest_written_total', { partition: '2' })).toBe(43);
    expect(s.value('birdstream_ingest_partition_owned', { worker: 'w2', partition: '2' })).toBe(1);
    expect(s.value('birdstream_ingest_partition_owned', { worker: 'w1', partition: '2' })).toBe(0);
    expect(s.sum('birdstream_ingest_partition_owned')).toBe(2);
  });
});

/** The Ingestor closed: it holds nothing, its stats still answer (the final summary). */
function ingestorClosed(ingestor: ReturnType<typeof fakeIngestor>): void {
  ingestor.current.held = [];
  for (const partition of ingestor.current.partitions) {
    partition.held = false;
    partition.lease = undefined;
  }
}
