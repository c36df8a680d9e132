import { type Emulator, startEmulator } from '@birdstream/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { leaseKey } from '../../src/index.js';
import { type CliProcess, startCli } from '../helpers/cli-process.js';
import { missingPosts } from '../helpers/emulator-delivery.js';
import { storedPosts } from '../helpers/emulator-oracle.js';
import { killAfterEach } from '../helpers/kill-after-each.js';
import { streamIds } from '../helpers/redis-client.js';
import { useRedis } from '../helpers/redis-per-test.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { until } from '../helpers/until.js';

const db = useRedis();

/**
 * `birdstream ingest` workers that cannot keep up: 3 processes share 6 partitions of the
 * emulated firehose through a throttled link to Redis (each connection may send 3 KB/s, less
 * than the posts need), so what is written lags further and further behind what is received,
 * beyond the lease TTL. One worker is SIGKILLed while behind, holding posts it received and
 * never wrote; a fourth joins; the link recovers. Every post the emulator sent must be in Redis
 * exactly once: the takeover replays from the newest post in Redis, not from when the killed
 * worker last wrote. `INGEST_LOAD_MS` (default 0) keeps the workers behind for that much longer
 * before the kill (the on-demand long run). Nothing here depends on the machine's speed: the
 * waits are for outcomes, with generous limits.
 */

let emu: Emulator;
let proxy: TcpProxy;
const PARTITIONS = [1, 2, 3, 4, 5, 6];
const EXTRA_MS = Number(process.env.INGEST_LOAD_MS ?? 0);

beforeEach(async () => {
  proxy = await startTcpProxy(db.server.port);
  // Real time, so the workers' clocks and the emulator's agree; 10 posts/s per partition.
  emu = await startEmulator({ seed: 'ingest-load', rate: 200, timeScale: 1, keepAliveMs: 200 });
});
afterEach(async () => {
  await emu.close();
  await proxy.close();
});
const processes = killAfterEach<CliProcess>();

function worker(name: string): CliProcess {
  const p = startCli([
    'ingest',
    '--partitions',
    '1-6',
    '--redis',
    `redis://127.0.0.1:${proxy.port}`,
    '--base-url',
    emu.url,
    '--owner',
    name,
    '--tweet-fields',
    'created_at',
    '--lease-ttl',
    '2s',
    '--renew-interval',
    '300ms',
    '--stall-timeout',
    '1s',
    '--progress-interval',
    '300ms',
  ]);
  processes.push(p);
  return p;
}

/** The partitions a worker holds now, from its log. */
function held(p: CliProcess): Set<number> {
  const out = new Set<number>();
  for (const m of p
    .stderr()
    .matchAll(/partition (\d+): (claimed|taken over|handed over|lost|stopped)/g)) {
    if (m[2] === 'claimed' || m[2] === 'taken over') out.add(Number(m[1]));
    else out.delete(Number(m[1]));
  }
  return out;
}

const live = () =>
  processes.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
const openPartitions = () =>
  new Set(
    emu
      .stats()
      .connections.filter(
        (c) => c.partition !== undefined && c.closedAt === undefined && !c.recovery,
      )
      .map((c) => c.partition),
  );

describe('birdstream ingest under load', () => {
  it('a worker SIGKILLed while it lags beyond the lease TTL loses nothing: every post in Redis exactly once', async () => {
    proxy.throttle(3_000);
    const [w1] = [worker('w1'), worker('w2'), worker('w3')];
    await until(
      () => PARTITIONS.every((p) => openPartitions().has(p)),
      'all 6 partitions connected',
      60_000,
    );
    await until(
      () =>
        /partition \d: falling behind: the newest post received is [\d.]+ s old \(in Redis: [\d.]+ s\)/.test(
          w1!.stderr(),
        ) && held(w1!).size > 0,
      'w1 falls behind',
      90_000,
    );
    if (EXTRA_MS > 0) await new Promise((r) => setTimeout(r, EXTRA_MS));
    const w1Held = held(w1!);
    w1!.child.kill('SIGKILL');
    const killedAt = Date.now();
    expect(await w1!.exited).toBe('SIGKILL');
    const w4 = worker('w4');
    await until(() => held(w4).size > 0, 'the 4th worker claimed partitions', 60_000);
    proxy.throttle(undefined);
    const takenOverFromW1 = () =>
      new Set(
        live().flatMap((p) =>
          [...p.stderr().matchAll(/partition (\d+): taken over from w1/g)].map((m) => Number(m[1])),
        ),
      );
    await until(
      () => [...w1Held].every((p) => takenOverFromW1().has(p)),
      "w1's partitions taken over",
      60_000,
    );
    await until(
      () => PARTITIONS.every((p) => openPartitions().has(p)),
      'all 6 partitions connected again',
      60_000,
    );
    // Stop once every partition has in Redis a post created after the kill: the takeovers'
    // replays have reached past everything w1 held (what is still unwritten is then the live
    // tail, in flight).
    await until(
      async () => {
        const newest = new Map<number, number>();
        for (const s of await storedPosts(db.redis, 'birdstream:firehose')) {
          newest.set(s.partition, Math.max(newest.get(s.partition) ?? 0, s.createdAt));
        }
        return PARTITIONS.every((p) => (newest.get(p) ?? 0) > killedAt);
      },
      'every partition written past the kill',
      60_000,
    );

    console.log(processes.map((p) => p.stderr()).join('\n=====\n'));
    const workers = live();
    for (const p of workers) p.child.kill('SIGTERM');
    expect(await Promise.all(workers.map((p) => p.exited))).toEqual(workers.map(() => 143));
    for (const p of PARTITIONS) expect(await db.redis.exists(leaseKey('firehose', p))).toBe(0);

    const stats = emu.stats();
    const stored = await streamIds(db.redis, 'birdstream:firehose');
    const inRedis = new Set(stored);
    expect(stored.length, 'a post is in Redis twice').toBe(inRedis.size);
    const { missing, neverSent } = missingPosts(stats, inRedis, PARTITIONS);
    expect(neverSent, 'posts the emulator never sent').toEqual([]);
    if (missing.length > 0) {
      // What the first thing to read is: which connections sent the lost posts, and the logs.
      const t = (ms: number | undefined) =>
        ms === undefined ? '-' : new Date(ms).toISOString().slice(11, 23);
      for (const c of stats.connections.filter((c) =>
        missing.some((id) => c.postIds.includes(id)),
      )) {
        const lost = missing.filter((id) => c.postIds.includes(id));
        console.log(
          `connection #${c.id} p${c.partition} ${t(c.openedAt)}–${t(c.closedAt)} ${c.closedBy ?? ''} backfill ${c.backfillMinutes}: ${lost.length} lost of ${c.postIds.length}, first at index ${c.postIds.indexOf(lost[0]!)}`,
        );
      }
      console.log(processes.map((p) => p.stderr()).join('\n=====\n'));
    }
    expect(missing, 'posts the emulator sent that never reached Redis').toEqual([]);
    // X never saw two live connections on one partition.
    const slots = stats.concurrency.filter(
      (s) => s.partition !== undefined && PARTITIONS.includes(s.partition),
    );
    expect(slots.filter((s) => s.maxConcurrent > 1)).toEqual([]);

    // The logs: a time on every line, the takeover from w1 with its replay explained, a summary.
    const logs = processes.map((p) => p.stderr()).join('');
    for (const line of logs.trim().split('\n'))
      expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ /);
    expect(logs).toMatch(
      /partition \d: the newest post in Redis was created [\dms. ]+ ago \(less a 1 min margin\); asking X to backfill \d min\./,
    );
    for (const p of workers) {
      expect(p.stderr()).toMatch(
        /summary: total of w\d over \d+ partitions?: [\d,]+ written, [\d,]+ duplicates?, [\d,]+ reconnects?, backfill \d+ min/,
      );
    }
  }, 240_000);
});
