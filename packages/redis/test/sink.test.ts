import { isPayloadError } from '@birdstream/core';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLeaseLostError, leaseKey, RedisStreamSink } from '../src/index.js';
import { connect, post, streamIds } from './helpers/redis-client.js';
import { useRedis } from './helpers/redis-per-test.js';
import { startRedisServer } from './helpers/redis-server.js';

const db = useRedis();

let other: Redis;

beforeEach(async () => {
  other = connect(db.server);
});
afterEach(() => {
  other.disconnect();
});

const range = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => String(from + i));

describe('RedisStreamSink', () => {
  it('appends each post once; a replay of the same ids is reported as duplicates', async () => {
    const sink = new RedisStreamSink({ redis: db.redis, endpoint: 'firehose' });
    const first = await Promise.all(range(0, 20).map((id) => sink.write(post(id))));
    const replay = await Promise.all(range(10, 30).map((id) => sink.write(post(id))));
    expect(first.every((o) => o === 'written')).toBe(true);
    expect(replay.filter((o) => o === 'duplicate')).toHaveLength(10);
    expect(replay.filter((o) => o === 'written')).toHaveLength(10);
    expect(await streamIds(db.redis, 'birdstream:firehose')).toEqual(range(0, 30));
  });

  it('stores the message as JSON with its identity and partition', async () => {
    const sink = new RedisStreamSink({ redis: db.redis, endpoint: 'firehose' });
    await sink.write(post('7', { lang: 'en' }), { partition: 3 });
    const [[, fields]] = (await db.redis.xrange('birdstream:firehose', '-', '+')) as [
      [string, string[]],
    ];
    expect(fields).toEqual([
      'id',
      '7',
      'p',
      '3',
      'data',
      JSON.stringify(post('7', { lang: 'en' })),
    ]);
  });

  it('puts each post in once when redundant connections write the same posts at the same time', async () => {
    const a = new RedisStreamSink({ redis: db.redis, endpoint: 'firehose', maxBatch: 7 });
    const b = new RedisStreamSink({ redis: other, endpoint: 'firehose', maxBatch: 5 });
    const ids = range(0, 400);
    const outcomes = await Promise.all([
      ...ids.map((id) => a.write(post(id), { partition: 1 })),
      ...[...ids].reverse().map((id) => b.write(post(id), { partition: 2 })),
    ]);
    expect(outcomes.filter((o) => o === 'written')).toHaveLength(400);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(400);
    const stored = await streamIds(db.redis, 'birdstream:firehose');
    expect(stored).toHaveLength(400);
    expect(new Set(stored)).toEqual(new Set(ids));
  });

  it('takes an identity function for messages that are not posts', async () => {
    const sink = new RedisStreamSink<{ delete: { id: string }; at: string }>({
      redis: db.redis,
      endpoint: 'compliance',
      identity: (m) => `${m.delete.id}@${m.at}`,
    });
    await sink.write({ delete: { id: '1' }, at: 'a' });
    await sink.write({ delete: { id: '1' }, at: 'b' });
    expect(await sink.write({ delete: { id: '1' }, at: 'a' })).toBe('duplicate');
    expect(await streamIds(db.redis, 'birdstream:compliance')).toEqual(['1@a', '1@b']);
  });

  it('refuses a message without identity with a PayloadError and keeps writing the others', async () => {
    const sink = new RedisStreamSink({ redis: db.redis, endpoint: 'firehose' });
    const results = await Promise.allSettled([
      sink.write(post('1')),
      sink.write({ data: { text: 'no id' } }),
      sink.write(post('2')),
    ]);
    expect(results[1]?.status).toBe('rejected');
    expect(isPayloadError((results[1] as PromiseRejectedResult).reason)).toBe(true);
    expect(await streamIds(db.redis, 'birdstream:firehose')).toEqual(['1', '2']);
  });

  it('writes nothing when the fence no longer holds the lease, and says so with LeaseLostError', async () => {
    const sink = new RedisStreamSink({ redis: db.redis, endpoint: 'firehose' });
    const key = leaseKey('firehose', 4);
    await db.redis.set(key, '1:worker-a');
    expect(await sink.write(post('1'), { partition: 4, fence: { key, value: '1:worker-a' } })).toBe(
      'written',
    );
    await db.redis.set(key, '2:worker-b');
    const stale = await Promise.allSettled([
      sink.write(post('2'), { partition: 4, fence: { key, value: '1:worker-a' } }),
      sink.write(post('3'), { partition: 4, fence: { key, value: '1:worker-a' } }),
    ]);
    expect(stale.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(isLeaseLostError((stale[0] as PromiseRejectedResult).reason)).toBe(true);
    // The refused ids were not even marked as seen: the new owner can still write them.
    expect(await sink.write(post('2'), { partition: 4, fence: { key, value: '2:worker-b' } })).toBe(
      'written',
    );
    expect(await streamIds(db.redis, 'birdstream:firehose')).toEqual(['1', '2']);
  });

  it("keeps each partition's delivered time as the newest item time written, never moving back", async () => {
    let now = 1_000_000;
    const clock = {
      now: () => now,
      setTimeout: (cb: () => void, ms: number) => setTimeout(cb, ms),
      clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout),
    };
    const sink = new RedisStreamSink({ redis: db.redis, endpoint: 'firehose', clock });
    const at = (iso: string) => Date.parse(iso);
    expect(await sink.lastDeliveredAt(1)).toBeUndefined();
    // The posts' created_at, not the clock at the write: a worker behind writes old posts.
    await Promise.all([
      sink.write(post('1', { created_at: '2026-01-01T00:00:05.000Z' }), { partition: 1 }),
      sink.write(post('2', { created_at: '2026-01-01T00:00:09.000Z' }), { partition: 1 }),
    ]);
    expect(await sink.lastDeliveredAt(1)).toBe(at('2026-01-01T00:00:09.000Z'));
    // A replay of older posts (and duplicates) leaves it where it is.
    await sink.write(post('0', { created_at: '2026-01-01T00:00:01.000Z' }), { partition: 1 });
    await sink.write(post('2', { created_at: '2026-01-01T00:00:09.000Z' }), { partition: 1 });
    expect(await sink.lastDeliveredAt(1)).toBe(at('2026-01-01T00:00:09.000Z'));
    // An explicit item time wins; a message that tells no time counts as received now.
    await sink.write(post('3'), { partition: 2, itemAt: 42_000 });
    expect(await sink.lastDeliveredAt(2)).toBe(42_000);
    now = 5_000_000;
    await sink.write({ data: { id: 'not-a-snowflake' } }, { partition: 3 });
    expect(await sink.lastDeliveredAt(3)).toBe(5_000_000);
  });

  it('openPartition() records a start time only when nothing was delivered yet', async () => {
    const sink = new RedisStreamSink({ redis: db.redis, endpoint: 'firehose' });
    expect(await sink.openPartition(5, 1_000)).toBeUndefined();
    expect(await sink.lastDeliveredAt(5)).toBe(1_000);
    expect(await sink.openPartition(5, 9_000)).toBe(1_000);
    expect(await sink.lastDeliveredAt(5)).toBe(1_000);
  });

  it('trims the stream with maxLen', async () => {
    const sink = new RedisStreamSink({
      redis: db.redis,
      endpoint: 'firehose',
      maxLen: 10,
      maxBatch: 1000,
    });
    await Promise.all(range(0, 1000).map((id) => sink.write(post(id))));
    expect(await db.redis.xlen('birdstream:firehose')).toBeLessThan(1000);
  });

  it('flushes a batch once it is full or its delay passed, and close() flushes the rest', async () => {
    const sink = new RedisStreamSink({
      redis: db.redis,
      endpoint: 'firehose',
      maxBatch: 3,
      maxDelayMs: 60_000,
    });
    const full = Promise.all(range(0, 3).map((id) => sink.write(post(id))));
    await full;
    expect(await db.redis.xlen('birdstream:firehose')).toBe(3);
    const last = sink.write(post('3'));
    expect(await db.redis.xlen('birdstream:firehose')).toBe(3);
    await sink.close();
    expect(await last).toBe('written');
    expect(await streamIds(db.redis, 'birdstream:firehose')).toEqual(range(0, 4));
  });
});

describe('RedisStreamSink when Redis fails', () => {
  it('loses and duplicates nothing when Redis is killed and restarted mid-stream', async () => {
    const durable = await startRedisServer({ persist: true });
    // Commands fail at once while the db.server is down, so the sink's own retries are exercised.
    const conn = connect(durable, {
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
    });
    try {
      let retries = 0;
      const sink = new RedisStreamSink({
        redis: conn,
        endpoint: 'firehose',
        maxBatch: 50,
        retryInitialMs: 10,
        retryMaxMs: 50,
        onRetry: () => {
          retries++;
        },
      });
      const ids = range(0, 3000);
      const writes: Promise<unknown>[] = [];
      let crashed: Promise<void> | undefined;
      for (const id of ids) {
        writes.push(sink.write(post(id), { partition: 1 }));
        if (id === '1500') {
          // Some batches are in flight: kill the db.server without warning, then bring it back.
          crashed = durable.stop({ crash: true }).then(() => durable.start());
        }
        if (Number(id) % 100 === 0) await new Promise((r) => setImmediate(r));
      }
      await crashed;
      const outcomes = await Promise.all(writes);
      expect(outcomes).toHaveLength(3000);
      expect(retries).toBeGreaterThan(0);
      const stored = await streamIds(conn, 'birdstream:firehose');
      expect(stored).toHaveLength(3000);
      expect(new Set(stored)).toEqual(new Set(ids));
    } finally {
      conn.disconnect();
      await durable.dispose();
    }
  });

  it('loses and duplicates nothing when its connection is dropped during batches', async () => {
    const sink = new RedisStreamSink({ redis: db.redis, endpoint: 'firehose', maxBatch: 20 });
    const ids = range(0, 2000);
    const writes: Promise<unknown>[] = [];
    for (const id of ids) {
      writes.push(sink.write(post(id)));
      if (Number(id) % 250 === 0) {
        await new Promise((r) => setImmediate(r));
        await other.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
      }
    }
    await Promise.all(writes);
    const stored = await streamIds(other, 'birdstream:firehose');
    expect(stored).toHaveLength(2000);
    expect(new Set(stored)).toEqual(new Set(ids));
  });
});
