import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { leaseKey } from '../../src/index.js';
import { type CliProcess, startCli } from '../helpers/cli-process.js';
import { type FakeFirehose, startFakeFirehose } from '../helpers/fake-firehose.js';
import { expectGroupOf2ReadsEachOnce } from '../helpers/group-check.js';
import { killAfterEach } from '../helpers/kill-after-each.js';
import { streamIds } from '../helpers/redis-client.js';
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
    '--endpoint',
    'firehose',
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
    '300ms',
  ]);
  processes.push(p);
  return p;
}

const claimedBy = (p: CliProcess) =>
  new Set(
    [...p.stderr().matchAll(/partition (\d+): (claimed|taken over)/g)].map((m) => Number(m[1])),
  );

describe('birdstream ingest (processes)', () => {
  it('3 workers, one SIGKILLed mid-stream and a 4th started later: every post in Redis once, one connection per partition', async () => {
    const w = [worker('w1'), worker('w2'), worker('w3')];
    await until(
      () => PARTITIONS.every((p) => x.state(p).open.size === 1),
      'all 6 partitions connected',
      60_000,
    );
    let next = 1;
    const timer = setInterval(() => {
      for (let k = 0; k < 6; k++) {
        const id = next++;
        x.emit(PARTITIONS[id % 6]!, String(id));
      }
    }, 5);
    try {
      await until(() => next > 600, 'posts flowing');
      w[0]!.child.kill('SIGKILL');
      expect(await w[0]!.exited).toBe('SIGKILL');
      await until(() => next > 1500, 'posts flowing after the kill');
      const w4 = worker('w4');
      await until(() => claimedBy(w4).size > 0, 'the 4th worker claimed partitions', 60_000);
      await until(() => next > 2500, 'posts flowing with the 4th worker');
    } finally {
      clearInterval(timer);
    }
    const total = next - 1;
    await until(
      async () => (await db.redis.xlen('birdstream:firehose')) >= total,
      'all posts in Redis',
      60_000,
    );
    const stored = await streamIds(db.redis, 'birdstream:firehose');
    expect(stored).toHaveLength(total);
    expect(new Set(stored)).toEqual(new Set(x.emitted));
    for (const p of PARTITIONS) expect(x.state(p).maxOpen).toBe(1);
    // w1's partitions were taken over with backfill from their last delivered time.
    const takeovers = processes.map((p) => p.stderr()).join('');
    expect(takeovers).toMatch(
      /partition \d: the newest post in Redis was created [\dms. ]+ ago \(less a 1 min margin\); asking X to backfill 2 min\./,
    );
    expect(PARTITIONS.some((p) => x.state(p).backfillRequests.length > 0)).toBe(true);
    // The progress lines name the partition, rate, lag, owner and reconnects.
    expect(w[1]!.stderr()).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ partition \d: \d+ posts\/s, lag [\d.]+ s( \(in Redis: [\d.]+ s\))?( \(falling behind\))?, owner w2, \d+ reconnects?/m,
    );

    // SIGTERM: leases released, exit 143.
    const live = processes.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
    for (const p of live) p.child.kill('SIGTERM');
    expect(await Promise.all(live.map((p) => p.exited))).toEqual(live.map(() => 143));
    for (const p of PARTITIONS) expect(await db.redis.exists(leaseKey('firehose', p))).toBe(0);

    // A consumer group of 2 reads each post once with acks, including what a killed consumer held.
    await expectGroupOf2ReadsEachOnce(db.redis, total);
  }, 90_000);

  it('says in one line that Redis is unreachable, and exits 2', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const address = s.address();
        s.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const p = startCli([
      'ingest',
      '--redis',
      `redis://:secret@127.0.0.1:${port}`,
      '--base-url',
      x.baseUrl,
    ]);
    processes.push(p);
    expect(await p.exited).toBe(2);
    expect(p.stderr()).toBe(
      `birdstream: Cannot reach Redis at redis://:***@127.0.0.1:${port} (ECONNREFUSED): start redis-server there or pass --redis <url>.\n`,
    );
  });
});
