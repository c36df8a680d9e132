import type { Redis } from 'ioredis';
import { expect } from 'vitest';
import { StreamConsumer } from '../../src/index.js';
import { until } from './until.js';

/**
 * A consumer takes 50 entries of `birdstream:firehose` and dies without
 * acknowledging them; then a group of 2 consumers reads everything. Checks
 * that the 2 acknowledged each of the `total` entries exactly once.
 */
export async function expectGroupOf2ReadsEachOnce(redis: Redis, total: number): Promise<void> {
  const common = { redis, endpoint: 'firehose', group: 'e2e' } as const;
  const dead = new StreamConsumer({ ...common, consumer: 'dead', count: 50 });
  const iterator = dead[Symbol.asyncIterator]();
  for (let i = 0; i < 50; i++) await iterator.next();
  await dead.close();
  const acked: string[] = [];
  // claimIdleMs above any batch's processing time here, so only the dead consumer's entries move.
  const consumers = ['c1', 'c2'].map(
    (name) =>
      new StreamConsumer({
        ...common,
        consumer: name,
        count: 100,
        blockMs: 50,
        claimIdleMs: 1_000,
      }),
  );
  const loops = consumers.map(async (c) => {
    for await (const m of c) {
      await m.ack();
      acked.push(m.identity);
    }
  });
  await until(() => acked.length >= total, 'the group acknowledged every entry', 30_000);
  await Promise.all(consumers.map((c) => c.close()));
  await Promise.all(loops);
  expect(acked).toHaveLength(total);
  expect(new Set(acked).size).toBe(total);
  const [pending] = (await redis.xpending('birdstream:firehose', 'e2e')) as [number];
  expect(Number(pending)).toBe(0);
}
