import { type Emulator, startEmulator } from '@birdstream/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { leaseKey } from '../../src/index.js';
import { type CliProcess, startCli } from '../helpers/cli-process.js';
import { missingPosts } from '../helpers/emulator-delivery.js';
import { expectGroupOf2ReadsEachOnce } from '../helpers/group-check.js';
import { killAfterEach } from '../helpers/kill-after-each.js';
import { streamIds } from '../helpers/redis-client.js';
import { useRedis } from '../helpers/redis-per-test.js';
import { until } from '../helpers/until.js';

const db = useRedis();

let emu: Emulator;

beforeEach(async () => {
  // Real time (timeScale 1), so the workers' clocks and the emulator's backfill window agree.
  emu = await startEmulator({ seed: 'redis-ingest', rate: 200, timeScale: 1, keepAliveMs: 200 });
});
afterEach(async () => {
  await emu.close();
});
const processes = killAfterEach<CliProcess>();

/** The emulated firehose has X's 20 partitions. */
const PARTITIONS = Array.from({ length: 20 }, (_, i) => i + 1);

function worker(name: string): CliProcess {
  const p = startCli([
    'ingest',
    '--partitions',
    '1-20',
    '--redis',
    db.server.url,
    '--base-url',
    emu.url,
    '--owner',
    name,
    '--lease-ttl',
    '1500ms',
    '--renew-interval',
    '200ms',
    '--stall-timeout',
    '1s',
    '--progress-interval',
    '500ms',
  ]);
  processes.push(p);
  return p;
}

const firehose = () => emu.stats().connections.filter((c) => c.partition !== undefined);
const openPartitions = () =>
  new Set(
    firehose()
      .filter((c) => c.closedAt === undefined)
      .map((c) => c.partition),
  );

describe('birdstream ingest against the emulated firehose', () => {
  it('3 processes, one SIGKILLed mid-stream, a 4th started later: every post the emulator sent is in Redis once', async () => {
    const w = [worker('w1'), worker('w2'), worker('w3')];
    await until(() => openPartitions().size === 20, 'all 20 partitions connected', 60_000);
    const postsSent = () => firehose().reduce((n, c) => n + c.postIds.length, 0);
    await until(() => postsSent() > 300, 'posts flowing', 60_000);
    w[0]!.child.kill('SIGKILL');
    expect(await w[0]!.exited).toBe('SIGKILL');
    const atKill = postsSent();
    await until(() => postsSent() > atKill + 300, 'posts flowing after the kill', 60_000);
    const w4 = worker('w4');
    await until(
      () => /partition \d+: (claimed|taken over)/.test(w4.stderr()),
      'the 4th worker claimed',
      60_000,
    );
    await until(() => openPartitions().size === 20, 'all 20 partitions connected again', 60_000);
    const atJoin = postsSent();
    await until(() => postsSent() > atJoin + 300, 'posts flowing with the 4th worker', 60_000);

    const live = processes.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
    for (const p of live) p.child.kill('SIGTERM');
    expect(await Promise.all(live.map((p) => p.exited))).toEqual(live.map(() => 143));
    for (const p of PARTITIONS) expect(await db.redis.exists(leaseKey('firehose', p))).toBe(0);
    await until(() => emu.stats().openConnections === 0, 'every connection closed');

    const stats = emu.stats();
    const connections = stats.connections.filter((c) => c.partition !== undefined);
    const stored = await streamIds(db.redis, 'birdstream:firehose');
    const inRedis = new Set(stored);
    expect(stored.length, 'a post is in Redis twice').toBe(inRedis.size);
    const { missing, neverSent } = missingPosts(stats, inRedis, PARTITIONS);
    expect(neverSent, 'posts the emulator never sent').toEqual([]);
    // Sent but not in Redis is allowed only for what was in flight on a partition's last
    // connection when SIGTERM closed it (after the last post of it that reached Redis).
    expect(missing, 'posts the emulator sent that never reached Redis').toEqual([]);
    expect(inRedis.size).toBeGreaterThan(900);
    // X never saw two connections on one partition, and refused none.
    const firehoseSlots = stats.concurrency.filter((s) => s.partition !== undefined);
    expect(firehoseSlots).toHaveLength(20);
    expect(firehoseSlots.filter((s) => s.maxConcurrent > 1)).toEqual([]);
    expect(stats.rejected.filter((r) => !r.injected)).toEqual([]);
    // The partitions of the killed worker were taken over with backfill.
    expect(connections.some((c) => c.backfillMinutes > 0)).toBe(true);

    await expectGroupOf2ReadsEachOnce(db.redis, inRedis.size);
  }, 120_000);
});
