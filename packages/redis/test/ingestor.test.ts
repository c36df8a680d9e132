import { StreamClient } from '@birdstream/core';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type IngestEvent,
  Ingestor,
  type IngestorOptions,
  RedisStreamSink,
  type StreamSink,
} from '../src/index.js';
import { type FakeFirehose, startFakeFirehose } from './helpers/fake-firehose.js';
import { connect, streamIds } from './helpers/redis-client.js';
import { useRedis } from './helpers/redis-per-test.js';
import { startTcpProxy } from './helpers/tcp-proxy.js';
import { until } from './helpers/until.js';

const db = useRedis();

let x: FakeFirehose;
const cleanup: (() => unknown)[] = [];

beforeEach(async () => {
  x = await startFakeFirehose();
});
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
  await x.close();
});

const PARTITIONS = [1, 2, 3, 4];
const STREAM = 'birdstream:firehose';

function ingestor(
  name: string,
  conn: Redis,
  events: IngestEvent[],
  extra: Partial<IngestorOptions<unknown>> = {},
) {
  const client = new StreamClient({ bearerToken: 'test-token', baseUrl: x.baseUrl });
  const i = new Ingestor({
    client,
    endpoint: 'firehose',
    partitions: PARTITIONS,
    redis: conn,
    owner: name,
    leaseTtlMs: 1_000,
    renewIntervalMs: 150,
    streamOptions: { stallTimeoutMs: 500 },
    progressIntervalMs: 50,
    ...extra,
  });
  for (const type of ['claimed', 'takeover-backfill', 'stopped', 'progress', 'error'] as const) {
    i.on(type, (e) => events.push(e));
  }
  cleanup.push(() => i.close());
  return i;
}

/** Emits posts round-robin over the partitions until stopped; ids 1, 2, 3, … */
function emitter() {
  let next = 1;
  const timer = setInterval(() => {
    for (let k = 0; k < 4; k++) {
      const id = next++;
      x.emit(PARTITIONS[id % PARTITIONS.length]!, String(id));
    }
  }, 3);
  return {
    stop: () => clearInterval(timer),
    get count() {
      return next - 1;
    },
  };
}

async function expectExactlyOnce(): Promise<void> {
  await until(
    async () => (await db.redis.xlen(STREAM)) >= x.emitted.length,
    `all ${x.emitted.length} posts in Redis`,
  );
  const stored = await streamIds(db.redis, STREAM);
  expect(stored.length).toBe(x.emitted.length);
  expect(new Set(stored)).toEqual(new Set(x.emitted));
  for (const p of PARTITIONS) expect(x.state(p).maxOpen).toBe(1);
}

/** Every post emitted on `partitions` is in Redis once. */
async function expectExactlyOnceOn(partitions: number[]): Promise<void> {
  const expected = x.emitted.filter((id) =>
    partitions.includes(PARTITIONS[Number(id) % PARTITIONS.length]!),
  );
  await until(async () => (await db.redis.xlen(STREAM)) >= expected.length, 'the posts in Redis');
  const stored = await streamIds(db.redis, STREAM);
  expect(stored.length).toBe(expected.length);
  expect(new Set(stored)).toEqual(new Set(expected));
}

describe('Ingestor', () => {
  it('shares partitions between workers, hands them over on close and on join, and stores every post once', async () => {
    const eventsA: IngestEvent[] = [];
    const eventsB: IngestEvent[] = [];
    const eventsC: IngestEvent[] = [];
    const a = ingestor('a', db.redis, eventsA);
    await a.start();
    expect(a.partitions).toEqual(PARTITIONS);
    await until(
      () => PARTITIONS.every((p) => x.state(p).open.size === 1),
      'a connected to every partition',
    );
    const posts = emitter();
    const connB = connect(db.server);
    cleanup.push(() => connB.disconnect());
    const b = ingestor('b', connB, eventsB);
    await b.start();
    await until(
      () => a.partitions.length === 2 && b.partitions.length === 2,
      'a and b hold 2 each',
    );
    await until(() => posts.count > 400, 'posts flowing');
    await a.close();
    await until(() => b.partitions.length === 4, 'b took over all partitions');
    const connC = connect(db.server);
    cleanup.push(() => connC.disconnect());
    const c = ingestor('c', connC, eventsC);
    await c.start();
    await until(
      () => c.partitions.length === 2 && b.partitions.length === 2,
      'b and c hold 2 each',
    );
    await until(() => posts.count > 1200, 'more posts');
    posts.stop();
    await expectExactlyOnce();

    // Takeovers asked for backfill from the newest post in Redis less the 60 s margin (2 minutes),
    // and name the worker they took over from.
    const takeovers = [...eventsB, ...eventsC].filter((e) => e.type === 'takeover-backfill');
    expect(takeovers.length).toBeGreaterThanOrEqual(4);
    for (const e of takeovers) {
      expect(e).toMatchObject({ minutes: 2, exceedsWindow: false, recovery: 'not-needed' });
      expect(['a', 'b']).toContain(e.previousOwner);
    }
    expect(
      eventsA.filter((e) => e.type === 'stopped').map((e) => e.type === 'stopped' && e.reason),
    ).toContain('released');
    const progress = eventsB.find((e) => e.type === 'progress' && e.written > 0);
    expect(progress).toMatchObject({ type: 'progress', owner: 'b', reconnects: 0 });
    expect([...eventsA, ...eventsB, ...eventsC].filter((e) => e.type === 'error')).toEqual([]);
  });

  it('a worker cut off from Redis closes its connections before another takes over; nothing is lost or doubled', async () => {
    const proxy = await startTcpProxy(db.server.port);
    cleanup.push(() => proxy.close());
    const viaProxy = new Redis(proxy.port, '127.0.0.1', { maxRetriesPerRequest: null });
    viaProxy.on('error', () => {});
    cleanup.push(() => viaProxy.disconnect());
    const eventsA: IngestEvent[] = [];
    const eventsB: IngestEvent[] = [];
    const a = ingestor('a', viaProxy, eventsA);
    await a.start();
    const connB = connect(db.server);
    cleanup.push(() => connB.disconnect());
    const b = ingestor('b', connB, eventsB);
    await b.start();
    await until(
      () => a.partitions.length === 2 && b.partitions.length === 2,
      'a and b hold 2 each',
    );
    const posts = emitter();
    await until(() => posts.count > 400, 'posts flowing');
    proxy.freeze();
    await until(() => b.partitions.length === 4, 'b took over the partitions of a');
    await until(() => posts.count > 1200, 'more posts');
    posts.stop();
    await expectExactlyOnce();
    proxy.thaw();
    // a first released 2 partitions to b (balance), then stopped its last 2 before they expired.
    const stoppedA = eventsA.filter((e) => e.type === 'stopped');
    expect(stoppedA.map((e) => e.type === 'stopped' && e.reason)).toEqual([
      'released',
      'released',
      'expiring',
      'expiring',
    ]);
    // The posts a read but could not write were replayed to b by backfill.
    const expired = stoppedA.flatMap((e) =>
      e.type === 'stopped' && e.reason === 'expiring' ? [e.partition] : [],
    );
    const backfilled = eventsB.flatMap((e) =>
      e.type === 'takeover-backfill' ? [e.partition] : [],
    );
    for (const p of expired) expect(backfilled).toContain(p);
  });

  it('never opens a connection for a partition stopped while its start was waiting for Redis', async () => {
    const real = new RedisStreamSink({ redis: db.redis, endpoint: 'firehose' });
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // A sink whose openPartition answers only when the test says so (a slow Redis).
    const sink = Object.assign(Object.create(real) as RedisStreamSink, {
      openPartition: async (partition: number, at: number) => {
        await gate;
        return real.openPartition(partition, at);
      },
    });
    const events: IngestEvent[] = [];
    const i = ingestor('slow', db.redis, events, {
      partitions: [1],
      sink,
      leaseTtlMs: 600,
      renewIntervalMs: 100,
      streamOptions: { stallTimeoutMs: 300 },
    });
    await i.start();
    await until(() => events.some((e) => e.type === 'claimed'), 'partition 1 claimed');
    // The lease round does not wait for the start: the lease is renewed meanwhile.
    expect(i.partitions).toEqual([1]);
    const closing = i.close();
    await until(
      () => events.some((e) => e.type === 'stopped'),
      'the partition stopped before it started',
    );
    expect(events.find((e) => e.type === 'stopped')).toMatchObject({
      partition: 1,
      reason: 'released',
    });
    release();
    await closing;
    // The next owner connects; the stopped start must never have connected.
    const conn = connect(db.server);
    cleanup.push(() => conn.disconnect());
    const eventsB: IngestEvent[] = [];
    const b = ingestor('b', conn, eventsB, {
      partitions: [1],
      leaseTtlMs: 600,
      renewIntervalMs: 100,
      streamOptions: { stallTimeoutMs: 300 },
    });
    await b.start();
    b.on('stream', (e) => eventsB.push(e));
    await until(
      () => eventsB.some((e) => e.type === 'stream' && e.event.type === 'connected'),
      'b connected to partition 1',
    );
    expect(x.state(1).connections).toBe(1);
    expect(x.state(1).maxOpen).toBe(1);
  });

  it('a partition whose writes wait says so (falling-behind, stats) and says when it caught up', async () => {
    const real = new RedisStreamSink({ redis: db.redis, endpoint: 'firehose' });
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    // A Redis that stops taking writes for a while: what is received is not yet written.
    const sink: StreamSink<unknown> = {
      write: async (message, context) => {
        await gate;
        return real.write(message, context);
      },
      flush: () => real.flush(),
      lastDeliveredAt: (partition) => real.lastDeliveredAt(partition),
      openPartition: (partition, at) => real.openPartition(partition, at),
      close: () => real.close(),
    };
    const events: IngestEvent[] = [];
    const i = ingestor('slow', db.redis, events, { partitions: [1], sink, maxLagMs: 300 });
    i.on('falling-behind', (e) => events.push(e));
    i.on('caught-up', (e) => events.push(e));
    await i.start();
    await until(() => x.state(1).open.size === 1, 'partition 1 connected');
    const posts = emitter();
    try {
      await until(() => events.some((e) => e.type === 'falling-behind'), 'falling behind');
      const behind = events.find((e) => e.type === 'falling-behind');
      expect(behind).toMatchObject({
        partition: 1,
        owner: 'slow',
        thresholdMs: 300,
        reason: 'lag',
      });
      const stats = i.stats();
      expect(stats).toMatchObject({ owner: 'slow', held: [1] });
      const p1 = stats.partitions.find((p) => p.partition === 1)!;
      expect(p1).toMatchObject({ held: true, behind: true, written: 0, claims: 1 });
      expect(p1.pendingWrites).toBeGreaterThan(0);
      expect(p1.writeLagMs).toBeGreaterThan(300);
      expect(p1.lease!.expiresAt - p1.lease!.renewedAt).toBe(1_000);
      open();
      await until(() => events.some((e) => e.type === 'caught-up'), 'caught up');
    } finally {
      posts.stop();
      open();
    }
    await expectExactlyOnceOn([1]);
    await i.close();
    const final = i.stats();
    expect(final.held).toEqual([]);
    expect(final.totals.written).toBe(
      x.emitted.filter((id) => PARTITIONS[Number(id) % PARTITIONS.length] === 1).length,
    );
    expect(final.totals.fallingBehind).toBe(1);
  });
});
