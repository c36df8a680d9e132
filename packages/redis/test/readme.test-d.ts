// The README's TypeScript examples, verbatim (imports hoisted), compiled against the real
// types; test/readme.test.ts checks that every example in README.md is here.
import { StreamClient } from '@birdstream/core';
import type {
  IngestorStats as RealIngestorStats,
  IngestTotals as RealIngestTotals,
  PartitionStats as RealPartitionStats,
} from '@birdstream/redis';
import { Ingestor, StreamConsumer } from '@birdstream/redis';
import { Redis } from 'ioredis';
import { describe, expectTypeOf, it } from 'vitest';

/** What the README's consumer indexes: a post (the response's `data`), not the whole response. */
declare function index(post: { id: string; text: string }): Promise<void>;

describe('README examples', () => {
  it('run it', async () => {
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const ingestor = new Ingestor({
      client: new StreamClient({ bearerToken: process.env.X_BEARER_TOKEN }),
      endpoint: 'firehose',
      partitions: Array.from({ length: 20 }, (_, i) => i + 1),
      redis,
      params: { 'tweet.fields': ['created_at', 'lang', 'author_id'] },
    });
    ingestor.on('progress', (e) =>
      console.error(`p${e.partition} ${e.postsPerSecond.toFixed(0)}/s lag ${e.lagMs} ms`),
    );
    // biome-ignore format: verbatim from the README
    ingestor.on('falling-behind', (e) =>
      console.error(`p${e.partition} is behind: ${e.writeLagMs} ms, ${e.pendingWrites} writes waiting`),
    );
    ingestor.on('unrecoverable', (e) =>
      console.error(`p${e.partition}: ${e.minutes} min of posts cannot be replayed (${e.reason})`),
    );
    await ingestor.start();
    process.once('SIGTERM', async () => {
      await ingestor.close(); // closes the connections, waits for the writes, releases the leases
      redis.disconnect();
    });
  });

  it('and read it', async () => {
    const redis = new Redis();
    const consumer = new StreamConsumer<{ data: { id: string; text: string } }>({
      redis,
      endpoint: 'firehose',
      group: 'indexer',
    });
    for await (const message of consumer) {
      // message.data is the stream message as X sent it; the post is its data.
      const post = message.data.data;
      await index(post);
      await message.ack();
    }
  });
});

// The README's description of `ingestor.stats()`, verbatim, held against the exported types:
// the shape a metrics collector reads is the one the README shows.
// biome-ignore format: verbatim from the README
interface IngestorStats {
  owner: string; // this worker (label `worker`)
  liveWorkers: number | undefined; // live workers of the endpoint, last lease round
  target: number | undefined; // partitions this worker aims to hold
  held: number[]; // partitions held now
  partitions: PartitionStats[]; // every partition held since start (label `partition`)
  totals: IngestTotals; // the sums
}
// biome-ignore format: verbatim from the README
interface IngestTotals {
  received: number; written: number; duplicates: number; // messages
  reconnects: number; // of the partition's connections to X
  backfillMinutes: number; recoveredMinutes: number; unrecoverableMinutes: number;
  claims: number; takeovers: number; lost: number; fallingBehind: number;
}
// biome-ignore format: verbatim from the README
interface PartitionStats extends IngestTotals {
  partition: number;
  held: boolean;
  lease?: { token: number; renewedAt: number; expiresAt: number }; // epoch ms, while held
  claimedAt?: number; previousOwner?: string;
  lagMs?: number; writeLagMs?: number; // while held; undefined while idle
  pendingWrites: number; behind: boolean; replaying: boolean;
  recovering: number; // recovery windows not yet replayed
}

describe("the README's stats shape", () => {
  it('is the exported one', () => {
    expectTypeOf<RealIngestTotals>().toEqualTypeOf<IngestTotals>();
    expectTypeOf<RealIngestorStats>().toMatchTypeOf<IngestorStats>();
    expectTypeOf<IngestorStats>().toMatchTypeOf<RealIngestorStats>();
    expectTypeOf<RealPartitionStats>().toMatchTypeOf<PartitionStats>();
    expectTypeOf<PartitionStats>().toMatchTypeOf<RealPartitionStats>();
  });
});
