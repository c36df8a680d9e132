import { StreamClient } from '@birdstream/core';
import { Ingestor } from '@birdstream/redis';
import { parseScrape, type Scrape, until } from '@birdstream/test-utils';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from 'vitest';
// The Redis package's test helpers (a real redis-server, a loopback firehose), as webhooks' tests use them.
import { type FakeFirehose, startFakeFirehose } from '../../redis/test/helpers/fake-firehose.js';
import { connect } from '../../redis/test/helpers/redis-client.js';
import { type RedisServer, startRedisServer } from '../../redis/test/helpers/redis-server.js';
import { BirdstreamMetrics } from '../src/index.js';

let server: RedisServer;
let redis: ReturnType<typeof connect>;
let x: FakeFirehose;
const cleanup: (() => unknown)[] = [];

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server.dispose();
});
beforeEach(async () => {
  redis = connect(server);
  await redis.flushall();
  x = await startFakeFirehose();
});
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
  redis.disconnect();
  await x.close();
});

const PARTITIONS = [1, 2, 3, 4];
const LEASE_TTL_MS = 1_500;

function worker(owner: string): Ingestor {
  const conn = connect(server);
  const ingestor = new Ingestor({
    client: new StreamClient({ bearerToken: 'test-token', baseUrl: x.baseUrl }),
    endpoint: 'firehose',
    partitions: PARTITIONS,
    redis: conn,
    owner,
    leaseTtlMs: LEASE_TTL_MS,
    renewIntervalMs: 200,
    streamOptions: { stallTimeoutMs: 1_000 },
    // No progress report during the test: every figure must come from stats().
    progressIntervalMs: 3_600_000,
  });
  cleanup.push(() => conn.disconnect());
  cleanup.push(() => ingestor.close());
  return ingestor;
}

let next = 1;
/** Emits `count` posts round-robin over the partitions. */
function emit(count: number): void {
  for (let k = 0; k < count; k++) {
    const id = next++;
    x.emit(PARTITIONS[id % PARTITIONS.length]!, String(id));
  }
}

const written = (s: Scrape) => s.sum('birdstream_ingest_written_total');

test('a real Ingestor, no progress report: the scrape is exact; a handover shows as released stops and takeovers', async () => {
  const registry = new Registry();
  const metrics = new BirdstreamMetrics({ registry });
  const a = worker('a');
  metrics.trackIngestor(a, { name: 'firehose' });
  await a.start();
  await until(() => PARTITIONS.every((p) => x.state(p).open.size === 1), 'a on every partition');
  emit(40);
  await until(() => a.stats().totals.written === 40, 'a wrote 40 posts');
  let s = await parseScrape(await registry.metrics());
  expect(written(s)).toBe(40);
  expect(s.sum('birdstream_ingest_received_total')).toBe(40);
  expect(s.sum('birdstream_ingest_partition_owned', { worker: 'a' })).toBe(4);
  expect(s.value('birdstream_ingest_held_partitions', { worker: 'a' })).toBe(4);
  for (const p of PARTITIONS) {
    const labels = { worker: 'a', partition: String(p) };
    expect(s.value('birdstream_ingest_written_total', labels)).toBe(10);
    expect(s.value('birdstream_ingest_claims_total', labels)).toBe(1);
    // The first open of an empty Redis is no takeover.
    expect(s.value('birdstream_ingest_takeovers_total', labels)).toBe(0);
    expect(s.value('birdstream_ingest_pending_writes', labels)).toBe(0);
    expect(
      s.value('birdstream_ingest_lease_expiry_timestamp_seconds', labels)! -
        s.value('birdstream_ingest_lease_renewed_timestamp_seconds', labels)!,
    ).toBeCloseTo(LEASE_TTL_MS / 1000, 6);
  }

  // b joins: a releases half the partitions, b takes them over from the posts a wrote.
  const b = worker('b');
  metrics.trackIngestor(b, { name: 'firehose' });
  const bConnected = new Set<number>();
  b.on('stream', (e) => {
    if (e.event.type === 'connected') bConnected.add(e.partition);
  });
  await b.start();
  await until(
    () =>
      a.stats().held.length === 2 &&
      b.stats().held.length === 2 &&
      // b's connections are up and a's closed: posts go to the new owners.
      b.stats().held.every((p) => bConnected.has(p)) &&
      PARTITIONS.every((p) => x.state(p).open.size === 1),
    'two partitions each, every partition connected once',
  );
  emit(40);
  // Settled: every message each worker received (replays included) is confirmed by Redis.
  const settled = (i: Ingestor) =>
    i
      .stats()
      .partitions.every((p) => p.pendingWrites === 0 && p.received === p.written + p.duplicates);
  await until(
    () => a.stats().totals.written + b.stats().totals.written === 80 && settled(a) && settled(b),
    'the writes confirmed to both workers',
  );
  expect(await redis.xlen('birdstream:firehose')).toBe(80);
  s = await parseScrape(await registry.metrics());
  // Exact, with no progress report ever sent: what Redis has.
  expect(written(s)).toBe(80);
  const taken = b.stats().held;
  for (const p of taken) {
    const onA = { worker: 'a', partition: String(p) };
    const onB = { worker: 'b', partition: String(p) };
    expect(s.value('birdstream_ingest_partition_owned', onA)).toBe(0);
    expect(s.value('birdstream_ingest_partition_owned', onB)).toBe(1);
    expect(s.value('birdstream_ingest_partition_stops_total', { ...onA, reason: 'released' })).toBe(
      1,
    );
    // Released is not lost.
    expect(s.value('birdstream_ingest_leases_lost_total', onA)).toBe(0);
    expect(s.value('birdstream_ingest_takeovers_total', onB)).toBe(1);
    expect(s.value('birdstream_ingest_lease_fencing_token', onB)).toBeGreaterThan(0);
    expect(s.samples('birdstream_ingest_lease_fencing_token', onA)).toEqual([]);
    // a's counts for the partition stay; both add up to what was emitted on it.
    expect(
      s.value('birdstream_ingest_written_total', onA)! +
        s.value('birdstream_ingest_written_total', onB)!,
    ).toBe(20);
  }
  for (const w of ['a', 'b']) {
    expect(s.value('birdstream_ingest_live_workers', { worker: w })).toBe(2);
    expect(s.value('birdstream_ingest_held_partitions', { worker: w })).toBe(2);
  }
  // Each family agrees with stats() read right after the scrape (nothing moves: no posts flow).
  for (const ingestor of [a, b]) {
    for (const p of ingestor.stats().partitions) {
      const labels = { worker: ingestor.owner, partition: String(p.partition) };
      expect(s.value('birdstream_ingest_received_total', labels)).toBe(p.received);
      expect(s.value('birdstream_ingest_duplicates_total', labels)).toBe(p.duplicates);
      expect(s.value('birdstream_ingest_reconnects_total', labels)).toBe(p.reconnects);
      expect(s.value('birdstream_ingest_backfill_requested_seconds_total', labels)).toBe(
        p.backfillMinutes * 60,
      );
    }
  }
}, 60_000);
