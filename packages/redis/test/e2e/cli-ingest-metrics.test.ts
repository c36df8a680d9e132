import { type Scrape, scrape } from '@birdstream/test-utils';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type CliProcess, startCli } from '../helpers/cli-process.js';
import { type FakeFirehose, startFakeFirehose } from '../helpers/fake-firehose.js';
import { killAfterEach } from '../helpers/kill-after-each.js';
import { useRedis } from '../helpers/redis-per-test.js';
import { until } from '../helpers/until.js';

const db = useRedis();

let x: FakeFirehose;

beforeEach(async () => {
  x = await startFakeFirehose();
});
afterEach(async () => {
  await x.close();
});
const processes = killAfterEach<CliProcess>();

const PARTITIONS = [1, 2, 3, 4, 5, 6];

function worker(name: string): CliProcess {
  const p = startCli([
    'ingest',
    '--partitions',
    '1-6',
    '--redis',
    db.server.url,
    '--base-url',
    x.baseUrl,
    '--owner',
    name,
    '--lease-ttl',
    '1500ms',
    '--renew-interval',
    '200ms',
    '--stall-timeout',
    '1s',
    '--progress-interval',
    '200ms',
    '--metrics-port',
    '127.0.0.1:0',
  ]);
  processes.push(p);
  return p;
}

async function metricsUrl(p: CliProcess): Promise<string> {
  const find = () => /serving Prometheus metrics on (http:\/\/\S+)/.exec(p.stderr())?.[1];
  await until(() => find() !== undefined, 'the metrics URL on stderr', 30_000);
  return find()!;
}

/** The partitions a worker's scrape says it owns. */
const owned = (s: Scrape) =>
  s
    .samples('birdstream_ingest_partition_owned')
    .filter((sample) => sample.value === 1)
    .map((sample) => Number(sample.labels.partition));

const emittedOn = (partition: number) =>
  x.emitted.filter((id) => Number(id) % 6 === partition % 6).length;

it('3 workers, one SIGKILLed: /metrics shows owners, fencing tokens, claims, written and duplicates per partition', async () => {
  const w = [worker('w1'), worker('w2'), worker('w3')];
  const urls = await Promise.all(w.map(metricsUrl));
  await until(
    () => PARTITIONS.every((p) => x.state(p).open.size === 1),
    'all 6 partitions connected',
    60_000,
  );
  let next = 1;
  const emit = (count: number) => {
    for (let k = 0; k < count; k++) {
      const id = next++;
      x.emit(PARTITIONS[id % 6]!, String(id));
    }
  };
  const timer = setInterval(() => emit(6), 5);
  let before: Scrape[];
  let emittedBeforeKill = 0;
  try {
    await until(() => next > 600, 'posts flowing');
    before = await Promise.all(urls.map(scrape));
    // Every partition has one owner among the three.
    expect(before.flatMap(owned).sort((a, b) => a - b)).toEqual(PARTITIONS);
    // w1 can only have written posts emitted before it died.
    emittedBeforeKill = next - 1;
    w[0]!.child.kill('SIGKILL');
    expect(await w[0]!.exited).toBe('SIGKILL');
    // w2 and w3 take over w1's partitions (balance: 3 each).
    await until(
      async () => {
        const [s2, s3] = await Promise.all([scrape(urls[1]!), scrape(urls[2]!)]);
        return [...owned(s2), ...owned(s3)].length === 6;
      },
      'w2 and w3 own every partition',
      60_000,
    );
    await until(() => next > 1500, 'posts flowing after the takeover');
  } finally {
    clearInterval(timer);
  }
  const total = next - 1;
  await until(
    async () => (await db.redis.xlen('birdstream:firehose')) >= total,
    'all posts in Redis',
    60_000,
  );
  const w1Owned = owned(before[0]!);
  expect(w1Owned.length).toBeGreaterThan(0);
  // The progress reports catch up and the lease rounds settle (2 live workers, 3 partitions
  // each): the survivors wrote at least every post w1 could not have written.
  const written = (x: Scrape) => x.sum('birdstream_ingest_written_total');
  await until(
    async () => {
      const now = await Promise.all([scrape(urls[1]!), scrape(urls[2]!)]);
      return (
        now.every(
          (x, i) =>
            x.value('birdstream_ingest_live_workers', { worker: `w${i + 2}` }) === 2 &&
            x.value('birdstream_ingest_held_partitions', { worker: `w${i + 2}` }) === 3,
        ) && written(now[0]!) + written(now[1]!) >= total - emittedBeforeKill
      );
    },
    'the survivors’ written_total covers every post emitted after the kill',
    60_000,
  );
  const after = await Promise.all([scrape(urls[1]!), scrape(urls[2]!)]);
  for (const [i, s] of after.entries()) {
    const name = `w${i + 2}`;
    for (const p of owned(s)) {
      const labels = { worker: name, partition: String(p) };
      const conn = { stream: 'firehose', partition: String(p) };
      expect(s.value('birdstream_stream_state', { ...conn, state: 'connected' })).toBe(1);
      expect(s.value('birdstream_stream_connections_total', conn)).toBeGreaterThanOrEqual(1);
      if (!w1Owned.includes(p)) continue;
      // A partition taken over from w1: a newer fencing token, a takeover backfill, and never
      // written twice (what w1 wrote and what its new owner wrote fit in what was emitted).
      const w1Labels = { worker: 'w1', partition: String(p) };
      expect(s.value('birdstream_ingest_lease_fencing_token', labels)).toBeGreaterThan(
        before[0]!.value('birdstream_ingest_lease_fencing_token', w1Labels)!,
      );
      expect(s.value('birdstream_ingest_claims_total', labels)).toBeGreaterThanOrEqual(1);
      expect(
        s.value('birdstream_ingest_takeover_backfill_seconds_total', labels),
      ).toBeGreaterThanOrEqual(60);
      expect(
        s.value('birdstream_ingest_written_total', labels)! +
          before[0]!.value('birdstream_ingest_written_total', w1Labels)!,
      ).toBeLessThanOrEqual(emittedOn(p));
    }
  }
  // Nothing written twice: what the survivors and w1 (as last scraped) wrote fits in Redis.
  expect(written(after[0]!) + written(after[1]!) + written(before[0]!)).toBeLessThanOrEqual(total);
}, 120_000);
