import { snowflakeTime } from '@birdstream/core';
import { type EmulatedClock, type Emulator, startEmulator } from '@birdstream/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postsCreated, storedPosts } from '../helpers/emulator-oracle.js';
import { killAfterEach } from '../helpers/kill-after-each.js';
import { useRedis } from '../helpers/redis-per-test.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { until } from '../helpers/until.js';
import { startWorker, type WorkerProcess } from '../helpers/worker-process.js';

/**
 * Takeovers measured in minutes, in emulated time (×10): ingest workers are processes running
 * `Ingestor` on a clock that runs with the emulator's, writing through a throttled link to
 * Redis (leases on their own, direct connection). Phase 1: the workers fall minutes behind;
 * one is SIGKILLed holding posts it received and never wrote, and its partitions are taken over
 * from the newest post in Redis. Phase 2: every worker is killed, 6+ emulated minutes pass, and
 * two new workers take over with 5 minutes of backfill and core's gap recovery
 * (`start_time`/`end_time`) for the rest. The oracle is the emulator's timeline itself: after
 * the run, a recovery request per partition lists every post created from the first connection
 * to the newest post in Redis, and each must be in Redis exactly once.
 */

const SCALE = 10;
const MIN = 60_000;
const PARTITIONS = [1, 2, 3, 4, 5, 6];
const db = useRedis();
let emu: Emulator;
let proxy: TcpProxy;

beforeEach(async () => {
  proxy = await startTcpProxy(db.server.port);
  emu = await startEmulator({
    seed: 'ingest-takeover',
    rate: 100,
    timeScale: SCALE,
    keepAliveMs: 1_000,
    rateLimits: false,
  });
});
afterEach(async () => {
  await emu.close();
  await proxy.close();
});

function worker(owner: string): WorkerProcess {
  const w = startWorker(owner, {
    redisUrl: `redis://127.0.0.1:${proxy.port}`,
    leaseRedisUrl: db.server.url,
    baseUrl: emu.url,
    partitions: PARTITIONS,
    clock: { emulatedAt: emu.clock.now(), realAt: Date.now(), scale: SCALE },
    // Emulated ms: a worker stops a lease it could not renew for 11 emulated s (1.1 real s).
    // Redis runs the TTL in real ms (12 s: 2 emulated minutes before a dead worker's lease frees).
    ingestor: {
      leaseTtlMs: 12_000,
      renewIntervalMs: 1_000,
      stallTimeoutMs: 8_000,
      progressIntervalMs: 1_000,
    },
  });
  workers.push(w);
  return w;
}

const of = (w: WorkerProcess, type: string) => w.events().filter((e) => e.type === type);
const held = (w: WorkerProcess) => {
  const out = new Set<number>();
  for (const e of w.events()) {
    if (e.type === 'claimed') out.add(e.partition as number);
    if (e.type === 'stopped') out.delete(e.partition as number);
  }
  return out;
};

afterEach((context) => {
  // On a failure, what each worker reported (progress lines left out): the first thing to read.
  if (context.task.result?.state === 'fail') {
    for (const w of workers) {
      console.log(`== ${w.owner}\n${w.stderr()}`);
      console.log(
        w
          .events()
          .filter((e) => e.type !== 'progress')
          .map((e) => JSON.stringify(e).slice(0, 300))
          .join('\n'),
      );
    }
  }
});
const workers = killAfterEach<WorkerProcess>();

describe('ingest takeovers in emulated time', () => {
  it('a worker killed minutes behind, then a 6-minute outage of every worker: each post in Redis once, the gap recovered with start/end time', async () => {
    // Phase 1: writes throttled, so the workers fall minutes (emulated) behind.
    proxy.throttle(2_000);
    const [w1, w2, w3] = [worker('w1'), worker('w2'), worker('w3')];
    await until(
      () => [w1!, w2!, w3!].reduce((n, w) => n + held(w).size, 0) === 6,
      'the partitions shared',
      60_000,
    );
    await until(
      () =>
        held(w1!).size > 0 &&
        of(w1!, 'falling-behind').length > 0 &&
        of(w1!, 'progress').some((e) => (e.writeLagMs as number) > 70_000),
      'w1 minutes behind',
      120_000,
    );
    const w1Held = held(w1!);
    const w1Lag = Math.max(...of(w1!, 'progress').map((e) => (e.writeLagMs as number) ?? 0));
    w1!.child.kill('SIGKILL');
    await w1!.exited;
    const seenBefore = new Map([w2!, w3!].map((w) => [w, w.events().length]));
    proxy.throttle(undefined);
    // Takeovers of w1's partitions after the kill (w1 also handed some over when the others joined).
    const phase1 = () =>
      [w2!, w3!].flatMap((w) =>
        w
          .events()
          .slice(seenBefore.get(w))
          .filter((e) => e.type === 'takeover-backfill' && e.previousOwner === 'w1'),
      );
    await until(
      () => [...w1Held].every((p) => phase1().some((e) => e.partition === p)),
      "w1's partitions taken over",
      60_000,
    );
    // The takeover reached back before w1's unwritten posts: further than its write lag.
    for (const e of phase1()) expect(e.outageMs as number).toBeGreaterThan(w1Lag + MIN);

    // Phase 2: every worker down for more than 6 emulated minutes (time runs fast meanwhile).
    for (const w of [w2!, w3!]) w.child.kill('SIGKILL');
    await Promise.all([w2!.exited, w3!.exited]);
    const downAt = emu.clock.now();
    (emu.clock as EmulatedClock).setTimeScale(400);
    await until(() => emu.clock.now() - downAt > 6.5 * MIN, '6.5 emulated minutes', 60_000);
    (emu.clock as EmulatedClock).setTimeScale(SCALE);
    const [w4, w5] = [worker('w4'), worker('w5')];
    await until(
      () => held(w4!).size + held(w5!).size === 6,
      'w4 and w5 took every partition over',
      60_000,
    );
    const phase2 = [w4!, w5!].flatMap((w) => of(w, 'takeover-backfill'));
    for (const e of phase2) {
      expect(e).toMatchObject({ minutes: 5, exceedsWindow: true, recovery: 'recovering' });
    }
    // Until every partition's current owner has no recovery window left and no replay running
    // (a window aborted by a hand-over is started again by the next owner).
    const settled = (p: number) => {
      const owner = [w4!, w5!].find((w) => held(w).has(p));
      const last =
        owner &&
        of(owner, 'progress')
          .filter((e) => e.partition === p)
          .at(-1);
      return last !== undefined && last.recovering === 0 && last.replaying === undefined;
    };
    await until(
      () =>
        [w4!, w5!].some((w) => of(w, 'recovery').some((e) => e.phase === 'completed')) &&
        PARTITIONS.every(settled),
      'every partition recovered and caught up',
      120_000,
    );
    for (const w of [w4!, w5!]) w.child.kill('SIGTERM');
    expect(await Promise.all([w4!.exited, w5!.exited])).toEqual([0, 0]);
    for (const w of [w4!, w5!]) {
      // (Transient `error` events, such as a lease round timing out on a busy machine, are allowed.)
      expect(of(w, 'unrecoverable'), 'minutes reported unrecoverable').toEqual([]);
      const stats = of(w, 'stats')[0]?.stats as { totals: { recoveredMinutes: number } };
      expect(stats.totals.recoveredMinutes).toBeGreaterThan(0);
    }

    const totals = [w4!, w5!].map(
      (w) =>
        (of(w, 'stats')[0]?.stats as { totals: Record<string, number> } | undefined)?.totals ?? {},
    );
    const sum = (key: string) => totals.reduce((n, t) => n + (t[key] ?? 0), 0);
    const figures = {
      phase1OutageMin: Math.max(...phase1().map((e) => e.outageMs as number)) / MIN,
      w1LagMin: w1Lag / MIN,
      phase2OutageMin: Math.max(...phase2.map((e) => e.outageMs as number)) / MIN,
      written: sum('written'),
      duplicates: sum('duplicates'),
      backfillMinutes: sum('backfillMinutes'),
      recoveredMinutes: sum('recoveredMinutes'),
    };

    // Every post created on the partitions, from the first connection to the newest in Redis.
    const stored = await storedPosts(db.redis, 'birdstream:firehose');
    expect(stored.length, 'a post is in Redis twice').toBe(new Set(stored.map((s) => s.id)).size);
    const inRedis = new Set(stored.map((s) => s.id));
    const firstOpen = (p: number) =>
      Math.min(
        ...emu
          .stats()
          .connections.filter((c) => c.partition === p && !c.recovery)
          .map((c) => c.openedAt),
      );
    let checked = 0;
    for (const p of PARTITIONS) {
      const newest = Math.max(...stored.filter((s) => s.partition === p).map((s) => s.createdAt));
      // `created_at` has whole seconds: posts of the newest second may have been in flight.
      const expected = await postsCreated(emu.url, p, firstOpen(p), newest - 1);
      expect(expected.length).toBeGreaterThan(0);
      const missing = expected.filter((id) => !inRedis.has(id));
      if (missing.length > 0) {
        // Which connections sent the missing posts (if any), to tell a worker's loss from X's.
        const t = (ms: number | undefined) =>
          ms === undefined ? '-' : new Date(ms).toISOString().slice(11, 23);
        const times = missing.map((id) => snowflakeTime(id) ?? 0);
        console.log(
          `p${p}: ${missing.length} missing, created ${t(Math.min(...times))}–${t(Math.max(...times))}`,
        );
        for (const c of emu.stats().connections.filter((c) => c.partition === p)) {
          const sent = missing.filter((id) => c.postIds.includes(id)).length;
          console.log(
            `  #${c.id} ${t(c.openedAt)}–${t(c.closedAt)} ${c.closedBy ?? ''} backfill ${c.backfillMinutes} ${c.recovery ? `recovery ${t(c.recovery.start)}–${t(c.recovery.end)}` : ''} posts ${c.postIds.length}, ${sent} of the missing`,
          );
        }
      }
      checked += expected.length;
      expect(
        expected.filter((id) => !inRedis.has(id)),
        `posts of partition ${p} missing from Redis`,
      ).toEqual([]);
    }
    // The figures of this run (docs/reliability.md quotes them).
    console.log(`takeover figures: ${JSON.stringify({ ...figures, postsChecked: checked })}`);
  }, 300_000);
});
