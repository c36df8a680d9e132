/**
 * CPU per post of `birdstream ingest` (into Redis) next to `birdstream stream`
 * (to a JSONL file), the same recorded post sent by the tests' loopback
 * firehose, side by side in one run. Not a test: it prints numbers and
 * ratios. Run from the repository root:
 *
 *   npx vitest bench --run --project redis packages/redis/bench/cpu-per-post.bench.ts
 *
 * Each program is started, connected, then sent `BENCH_CPU_POSTS` posts
 * (default 12,000) at `BENCH_CPU_RATE` posts/s (default 1,500; `0` = as one
 * burst); its CPU time (user + system, from /proc, so Linux only) is read
 * before the first post and once the last one is in Redis or in the file.
 * CPU time, unlike wall time, barely depends on what else the machine runs.
 * `BENCH_NODE_ARGS` are passed to node before the program (e.g.
 * `--cpu-prof --cpu-prof-dir=prof` to see where the time goes).
 * Needs `packages/cli/dist` (vitest's global setup builds it).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFixtureText } from '@birdstream/test-utils';
import { bench, describe } from 'vitest';
import { type CliProcess, startCli } from '../test/helpers/cli-process.js';
import { type FakeFirehose, startFakeFirehose } from '../test/helpers/fake-firehose.js';
import { connect } from '../test/helpers/redis-client.js';
import { startRedisServer } from '../test/helpers/redis-server.js';
import { until } from '../test/helpers/until.js';

const POSTS = Number(process.env.BENCH_CPU_POSTS ?? 12_000);
const RATE = Number(process.env.BENCH_CPU_RATE ?? 1_500);
/** A recorded post (X's own bytes, ~3 KB with its includes). */
const TEMPLATE = JSON.parse(
  readFixtureText('stream/twarc-csv/streaming_output.jsonl').split('\n')[0] ?? '{}',
) as { data: Record<string, unknown> };

/** User + system CPU of a process, in ms (Linux /proc; clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Sends POSTS posts over `partitions` at RATE posts/s (or in one burst). */
async function send(x: FakeFirehose, partitions: number[]): Promise<void> {
  const perTick = RATE > 0 ? Math.max(1, Math.round(RATE / 100)) : 500;
  for (let id = 1; id <= POSTS; ) {
    const tickEnd = Math.min(POSTS, id + perTick - 1);
    for (; id <= tickEnd; id++) x.emit(partitions[id % partitions.length]!, String(id));
    await new Promise((r) => (RATE > 0 ? setTimeout(r, 10) : setImmediate(r)));
  }
}

interface Measure {
  label: string;
  cpuMs: number;
}

async function measure(
  label: string,
  args: (x: FakeFirehose, redisUrl: string, dir: string) => string[],
  partitions: number[],
  done: (dir: string, count: () => Promise<number>) => Promise<number>,
): Promise<Measure> {
  const server = await startRedisServer();
  const redis = connect(server);
  const x = await startFakeFirehose({ template: TEMPLATE });
  const dir = mkdtempSync(join(tmpdir(), 'birdstream-cpu-'));
  let p: CliProcess | undefined;
  try {
    // BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=prof' profiles the programs.
    const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
    p = startCli(args(x, server.url, dir), {}, nodeArgs);
    const child = p;
    await until(
      () => partitions.every((n) => x.state(n).open.size === 1),
      `${label} connected`,
      60_000,
    );
    const pid = child.child.pid!;
    const before = cpuMs(pid);
    await send(x, partitions);
    await until(
      async () => (await done(dir, () => redis.xlen('birdstream:firehose'))) >= POSTS,
      `${label}: all ${POSTS} posts through`,
      600_000,
    );
    return { label, cpuMs: cpuMs(pid) - before };
  } finally {
    if (p) {
      p.child.kill('SIGTERM');
      await p.exited;
    }
    redis.disconnect();
    await x.close();
    await server.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

const lines = (file: string) => {
  if (!existsSync(file) || statSync(file).size === 0) return 0;
  let n = 0;
  for (const byte of readFileSync(file)) if (byte === 10) n++;
  return n;
};

const ingest = (partitions: string) => (x: FakeFirehose, redisUrl: string) => [
  'ingest',
  '--partitions',
  partitions,
  '--redis',
  redisUrl,
  '--base-url',
  x.baseUrl,
  '--owner',
  'bench',
  '--progress-interval',
  '1h',
  '--quiet',
];

describe('CPU per post: birdstream ingest vs birdstream stream', () => {
  bench(
    `${POSTS} recorded posts at ${RATE > 0 ? `${RATE}/s` : 'one burst'}`,
    async () => {
      const results: Measure[] = [];
      results.push(
        await measure(
          'stream --partition 1 → JSONL',
          (x, _redis, dir) => [
            'stream',
            '--endpoint',
            'firehose',
            '--partition',
            '1',
            '--base-url',
            x.baseUrl,
            '--output',
            join(dir, 'out.jsonl'),
            '--quiet',
          ],
          [1],
          async (dir) => lines(join(dir, 'out.jsonl')),
        ),
      );
      results.push(
        await measure('ingest --partitions 1 → Redis', ingest('1'), [1], (_d, count) => count()),
      );
      results.push(
        await measure(
          'ingest --partitions 1-6 → Redis',
          ingest('1-6'),
          [1, 2, 3, 4, 5, 6],
          (_d, count) => count(),
        ),
      );
      const base = results[0]!.cpuMs / POSTS;
      for (const r of results) {
        const perPost = r.cpuMs / POSTS;
        console.log(
          `${r.label.padEnd(34)} ${(perPost * 1000).toFixed(0).padStart(5)} µs CPU/post  (${(r.cpuMs / 1000).toFixed(2)} s for ${POSTS})  ×${(perPost / base).toFixed(2)}`,
        );
      }
    },
    { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 },
  );
});
