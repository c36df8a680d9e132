import { type PartitionedStreamName, STREAM_ENDPOINT_TABLE, StreamClient } from '@birdstream/core';
import { afterEach, describe, expect, it } from 'vitest';
import { deliveryReport } from '../../src/engine/delivery-report.js';
import { type Emulator, type EmulatorStats, startEmulator } from '../../src/index.js';
import { untilClosed } from './harness.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

/**
 * Consumes every partition of `name` as ONE stream with core's fan-in,
 * `client.partitions(name, { partitions: 'all' })`, until each partition
 * delivered `perPartition` live items on an open connection after its last
 * reconnect. Returns the delivered keys by the partition the emulator sent
 * them on.
 */
async function consumeAllPartitions(
  e: Emulator,
  name: PartitionedStreamName,
  perPartition: number,
): Promise<Map<number, string[]>> {
  const row = STREAM_ENDPOINT_TABLE[name];
  const max = row.partitions.max;
  // Twenty connections open at once on a busy machine: give the connect more than 10 emulated s.
  const client = new StreamClient({
    bearerToken: 'fan-in',
    baseUrl: e.url,
    clock: e.clock,
    connectTimeoutMs: 120_000,
  });
  const delivered: string[] = [];
  const got = new Set<string>();
  const settled = () => {
    const connections = e.stats().connections;
    for (let partition = 1; partition <= max; partition++) {
      const last = connections.filter((c) => c.partition === partition).at(-1);
      if (!last || last.closedBy !== undefined) return false;
      const replayed = new Set(last.backfilledIds);
      const live = last.postIds.filter((id) => !replayed.has(id));
      if (live.length < perPartition || !live.slice(0, perPartition).every((id) => got.has(id)))
        return false;
    }
    return true;
  };
  const stream = client.partitions(
    name,
    { partitions: 'all' },
    { backfill: 'auto', stallTimeoutMs: 90_000 },
  );
  for await (const message of stream) {
    const key = row.dedupeKey(message) as string;
    delivered.push(key);
    got.add(key);
    if (settled()) break;
  }
  await stream.close();
  await untilClosed(e);
  const partitionOf = new Map<string, number>();
  for (const c of e.stats().connections)
    for (const id of c.postIds) partitionOf.set(id, c.partition as number);
  const byPartition = new Map<number, string[]>();
  for (let partition = 1; partition <= max; partition++) byPartition.set(partition, []);
  for (const key of delivered) byPartition.get(partitionOf.get(key) ?? 0)?.push(key);
  expect(
    delivered.every((key) => partitionOf.has(key)),
    'a delivered item was never sent',
  ).toBe(true);
  return byPartition;
}

/** Each partition exactly once, no item in two partitions, never two connections on one partition. */
function expectPartitionedExactlyOnce(
  stats: EmulatorStats,
  delivered: Map<number, string[]>,
  partitions: number,
): void {
  for (const [partition, keys] of delivered) {
    const connections = stats.connections.filter((c) => c.partition === partition);
    const report = deliveryReport(connections, keys);
    expect(report.lost, `partition ${partition} lost items`).toEqual([]);
    expect(report.duplicatesDelivered, `partition ${partition} delivered twice`).toBe(0);
    expect(report.unknown).toBe(0);
    expect(keys.length).toBeGreaterThan(0);
  }
  const all = [...delivered.values()].flatMap((keys) => [...new Set(keys)]);
  expect(new Set(all).size, 'an item arrived on two partitions').toBe(all.length);
  expect(stats.concurrency).toHaveLength(partitions);
  expect(stats.concurrency.every((slot) => slot.maxConcurrent === 1)).toBe(true);
  expect(stats.rejected).toEqual([]);
}

describe("all partitions at once with core's fan-in (client.partitions(name, { partitions: 'all' }))", () => {
  it('firehose: 20 partitions, a reset on one recovered by backfill, every post exactly once', async () => {
    const e = await startEmulator({ seed: 'fan-in-firehose', rate: 200, timeScale: 20 });
    emu = e;
    e.inject({ type: 'destroy', endpoint: 'firehose', afterPosts: 6 });
    const delivered = await consumeAllPartitions(e, 'firehose', 6);
    const stats = e.stats();
    expect(stats.connections.filter((c) => c.closedBy === 'destroy')).toHaveLength(1);
    // Every partition connected; the reset one (at least) twice.
    expect(stats.connections.length).toBeGreaterThanOrEqual(21);
    expectPartitionedExactlyOnce(stats, delivered, 20);
  });

  it('tweets compliance: 4 partitions, every event exactly once, disjoint', async () => {
    const e = await startEmulator({ seed: 'fan-in-compliance', rate: 40, timeScale: 20 });
    emu = e;
    const delivered = await consumeAllPartitions(e, 'tweets-compliance', 10);
    const stats = e.stats();
    expect(new Set(stats.connections.map((c) => c.partition)).size).toBe(4);
    expectPartitionedExactlyOnce(stats, delivered, 4);
  });
});
