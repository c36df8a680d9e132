// The README's TypeScript examples, verbatim (imports hoisted), compiled against the real
// types; test/readme.test.ts checks that every example in README.md is here.
import { StreamClient } from '@birdstream/core';
import { Ingestor, StreamConsumer } from '@birdstream/redis';
import { Redis } from 'ioredis';
import { describe, it } from 'vitest';

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
    ingestor.on('takeover-backfill', (e) => {
      if (e.exceedsWindow) console.error(`p${e.partition}: gap of ${e.outageMs} ms exceeds backfill`);
    });
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
