/**
 * Ingest throughput with 1, 2 and 3 `birdstream ingest` processes, and the
 * end-to-end latency from the firehose's write to a consumer's read. Not a
 * test: it prints numbers. Run from the repository root:
 *
 *   npx vitest bench --run --project redis packages/redis/bench/ingest-throughput.bench.ts
 *
 * Setup: a real redis-server and the loopback firehose of the tests (6
 * partitions), all on this machine, so the numbers include the emulator's and
 * Redis's share of the CPU. `BENCH_POSTS` sets the posts per run (default 60,000).
 * Needs `packages/cli/dist` (vitest's global setup builds it).
 */
import { bench, describe } from 'vitest';
import { StreamConsumer } from '../src/index.js';
import { type CliProcess, startCli } from '../test/helpers/cli-process.js';
import { startFakeFirehose } from '../test/helpers/fake-firehose.js';
import { connect } from '../test/helpers/redis-client.js';
import { startRedisServer } from '../test/helpers/redis-server.js';
import { until } from '../test/helpers/until.js';

const POSTS = Number(process.env.BENCH_POSTS ?? 60_000);
/** After the burst: 1,000 posts/s for 3 s, for the latency at a steady rate. */
const STEADY_POSTS = 3_000;
const PARTITIONS = [1, 2, 3, 4, 5, 6];

/** Partitions a worker holds now, from its claim and hand-over lines. */
function held(p: CliProcess): number {
  const text = p.stderr();
  return (
    (text.match(/: (claimed|taken over)/g) ?? []).length -
    (text.match(/: (handed over|lost|stopped)/g) ?? []).length
  );
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function run(workers: number): Promise<string> {
  const server = await startRedisServer();
  const redis = connect(server);
  const x = await startFakeFirehose();
  const processes: CliProcess[] = [];
  try {
    for (let i = 0; i < workers; i++) {
      processes.push(
        startCli([
          'ingest',
          '--partitions',
          '1-6',
          '--redis',
          server.url,
          '--base-url',
          x.baseUrl,
          '--owner',
          `bench-${i + 1}`,
          '--lease-ttl',
          '3s',
          '--renew-interval',
          '500ms',
          '--stall-timeout',
          '2s',
          '--progress-interval',
          '1h',
        ]),
      );
    }
    const share = Math.floor(PARTITIONS.length / workers);
    await until(
      () =>
        PARTITIONS.every((p) => x.state(p).open.size === 1) &&
        processes.every((p) => held(p) >= share),
      'the workers share the partitions',
      30_000,
    );
    const latencies: number[] = [];
    const steadyLatencies: number[] = [];
    const consumer = new StreamConsumer<{ data: { created_at: string } }>({
      redis,
      endpoint: 'firehose',
      group: 'bench',
      count: 500,
      blockMs: 100,
    });
    const reading = (async () => {
      for await (const m of consumer) {
        const latency = Date.now() - Date.parse(m.data.data.created_at);
        (Number(m.identity) > POSTS ? steadyLatencies : latencies).push(latency);
        await m.ack();
        if (latencies.length + steadyLatencies.length >= POSTS + STEADY_POSTS) break;
      }
    })();
    const started = performance.now();
    for (let id = 1; id <= POSTS; id++) {
      x.emit(PARTITIONS[id % PARTITIONS.length]!, String(id));
      if (id % 500 === 0) await new Promise((r) => setImmediate(r));
    }
    const emittedMs = performance.now() - started;
    await until(
      async () => (await redis.xlen('birdstream:firehose')) >= POSTS,
      'all posts in Redis',
      300_000,
    );
    const ingestMs = performance.now() - started;
    await until(() => latencies.length >= POSTS, 'the consumer caught up with the burst', 300_000);
    for (let tick = 0; tick < STEADY_POSTS / 100; tick++) {
      for (let k = 1; k <= 100; k++) {
        const id = POSTS + tick * 100 + k;
        x.emit(PARTITIONS[id % PARTITIONS.length]!, String(id));
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await reading;
    await consumer.close();
    latencies.sort((a, b) => a - b);
    steadyLatencies.sort((a, b) => a - b);
    return `${workers} process${workers === 1 ? ' ' : 'es'}: ${POSTS} posts in ${(ingestMs / 1000).toFixed(2)} s = ${Math.round(POSTS / (ingestMs / 1000)).toLocaleString('en')} posts/s into Redis (emitting took ${(emittedMs / 1000).toFixed(2)} s); burst write → consumer read p50 ${percentile(latencies, 0.5)} ms, p99 ${percentile(latencies, 0.99)} ms; at 1,000 posts/s: p50 ${percentile(steadyLatencies, 0.5)} ms, p99 ${percentile(steadyLatencies, 0.99)} ms`;
  } finally {
    for (const p of processes) p.child.kill('SIGTERM');
    await Promise.all(processes.map((p) => p.exited));
    redis.disconnect();
    await x.close();
    await server.dispose();
  }
}

describe('birdstream ingest throughput', () => {
  for (const workers of [1, 2, 3]) {
    bench(
      `${workers} ingest process(es), ${POSTS} posts over 6 partitions`,
      async () => {
        console.log(await run(workers));
      },
      { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 },
    );
  }
});
