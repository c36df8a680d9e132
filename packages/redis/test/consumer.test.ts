import type { PayloadError } from '@birdstream/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ConsumedMessage,
  RedisStreamSink,
  StreamConsumer,
  type StreamConsumerOptions,
} from '../src/index.js';
import { fromConsumerGroup } from '../src/rx.js';
import { post } from './helpers/redis-client.js';
import { useRedis } from './helpers/redis-per-test.js';
import { until } from './helpers/until.js';

const db = useRedis();

type Post = ReturnType<typeof post>;
const consumers: StreamConsumer<Post>[] = [];

afterEach(async () => {
  await Promise.all(consumers.splice(0).map((c) => c.close()));
});

async function writePosts(n: number): Promise<string[]> {
  const sink = new RedisStreamSink<Post>({ redis: db.redis, endpoint: 'firehose' });
  const ids = Array.from({ length: n }, (_, i) => String(i + 1));
  await Promise.all(ids.map((id, i) => sink.write(post(id), { partition: (i % 3) + 1 })));
  return ids;
}

function consumer(name: string, extra: Partial<StreamConsumerOptions<Post>> = {}) {
  const c = new StreamConsumer<Post>({
    redis: db.redis,
    endpoint: 'firehose',
    group: 'indexer',
    consumer: name,
    count: 20,
    blockMs: 50,
    // Longer than any batch takes to process here, so only the dead consumer's entries are claimed.
    claimIdleMs: 500,
    ...extra,
  });
  consumers.push(c);
  return c;
}

async function pendingCount(): Promise<number> {
  const [count] = (await db.redis.xpending('birdstream:firehose', 'indexer')) as [number];
  return Number(count);
}

describe('StreamConsumer', () => {
  it('a group of 2 reads each message once with acks, including what a killed consumer left pending', async () => {
    const ids = await writePosts(300);
    // A consumer takes a batch and dies before acknowledging any of it.
    const dead = consumer('dead', { count: 25 });
    const iterator = dead[Symbol.asyncIterator]();
    const taken: string[] = [];
    for (let i = 0; i < 25; i++) {
      const { value } = await iterator.next();
      taken.push((value as ConsumedMessage<Post>).identity);
    }
    await dead.close();
    expect(await pendingCount()).toBe(25);

    const acked = new Map<string, string[]>([
      ['b', []],
      ['c', []],
    ]);
    const total = () => (acked.get('b')?.length ?? 0) + (acked.get('c')?.length ?? 0);
    const run = async (name: string) => {
      for await (const message of consumer(name)) {
        expect(message.data.data.id).toBe(message.identity);
        await message.ack();
        acked.get(name)?.push(message.identity);
        if (total() >= 300) break;
      }
    };
    const loops = [run('b'), run('c')];
    await until(() => total() >= 300, 'b and c acknowledged 300 messages');
    await Promise.all(consumers.map((c) => c.close()));
    await Promise.all(loops);

    const all = [...(acked.get('b') ?? []), ...(acked.get('c') ?? [])];
    expect(all).toHaveLength(300);
    expect(new Set(all)).toEqual(new Set(ids));
    expect(taken.every((id) => all.includes(id))).toBe(true);
    expect(acked.get('b')?.length).toBeGreaterThan(0);
    expect(acked.get('c')?.length).toBeGreaterThan(0);
    expect(await pendingCount()).toBe(0);
  });

  it('reads the next batch only when the loop asks for more (backpressure)', async () => {
    await writePosts(100);
    const c = consumer('slow', { count: 10 });
    const iterator = c[Symbol.asyncIterator]();
    await iterator.next();
    expect(await pendingCount()).toBe(10);
    for (let i = 0; i < 9; i++) await iterator.next();
    expect(await pendingCount()).toBe(10);
    await iterator.next();
    expect(await pendingCount()).toBe(20);
  });

  it('a restarted consumer first gets back what it left pending', async () => {
    await writePosts(10);
    const first = consumer('x', { count: 5 });
    const it1 = first[Symbol.asyncIterator]();
    const before: string[] = [];
    for (let i = 0; i < 5; i++)
      before.push(((await it1.next()).value as ConsumedMessage<Post>).identity);
    await first.close();
    const again = consumer('x', { count: 5, claimIdleMs: 60_000 });
    const it2 = again[Symbol.asyncIterator]();
    const after: string[] = [];
    for (let i = 0; i < 5; i++)
      after.push(((await it2.next()).value as ConsumedMessage<Post>).identity);
    expect(after).toEqual(before);
  });

  it('skips and acknowledges an entry whose data does not parse, and keeps reading', async () => {
    await db.redis.xadd('birdstream:firehose', '*', 'id', '1', 'p', '1', 'data', '{not json');
    await writePosts(1);
    const invalid: PayloadError[] = [];
    const c = consumer('y', { onInvalid: (error) => invalid.push(error) });
    const { value } = await c[Symbol.asyncIterator]().next();
    expect((value as ConsumedMessage<Post>).data).toEqual(post('1'));
    expect(invalid).toHaveLength(1);
    expect(invalid[0]?.kind).toBe('invalid-json');
  });

  it('close() ends a loop that is waiting for new entries', async () => {
    const c = consumer('idle', { blockMs: 60_000 });
    const loop = (async () => {
      for await (const _ of c) {
        // nothing arrives
      }
      return 'ended';
    })();
    await until(async () => (await db.redis.exists('birdstream:firehose')) === 1, 'group created');
    await c.close();
    expect(await loop).toBe('ended');
  });
});

describe('fromConsumerGroup', () => {
  it('emits at most count unacknowledged messages, and more after acks', async () => {
    await writePosts(30);
    const received: ConsumedMessage<Post>[] = [];
    const subscription = fromConsumerGroup<Post>({
      redis: db.redis,
      endpoint: 'firehose',
      group: 'indexer',
      consumer: 'rx',
      count: 5,
      blockMs: 50,
    }).subscribe((m) => received.push(m));
    try {
      await until(() => received.length === 5, '5 messages');
      // Still 5 after the consumer had every chance to read more: it waits for acks.
      await until(async () => (await pendingCount()) === 5, 'only one batch read');
      expect(received).toHaveLength(5);
      await Promise.all(received.map((m) => m.ack()));
      await until(() => received.length === 10, '5 more after the acks');
      expect(new Set(received.map((m) => m.identity)).size).toBe(10);
    } finally {
      subscription.unsubscribe();
    }
  });
});
