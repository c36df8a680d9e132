import { isConfigError } from '@birdstream/core';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type HeldLease,
  type LeaseEndReason,
  leaseKey,
  PartitionLeases,
  type PartitionLeasesOptions,
} from '../src/index.js';
import { connect } from './helpers/redis-client.js';
import { useRedis } from './helpers/redis-per-test.js';
import { startTcpProxy } from './helpers/tcp-proxy.js';
import { until } from './helpers/until.js';

const db = useRedis();

const opened: { disconnect(): void }[] = [];
const running: PartitionLeases[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((l) => l.close()));
  for (const c of opened.splice(0)) c.disconnect();
});

const TIMING = { leaseTtlMs: 600, renewIntervalMs: 100, stallTimeoutMs: 300 };

/** Who reads which partition, across workers; records any moment two read the same one. */
class Ownership {
  readonly owners = new Map<number, string>();
  readonly overlaps: string[] = [];
  readonly log: string[] = [];
  worker(name: string): PartitionLeasesOptions['worker'] {
    return {
      start: (lease: HeldLease) => {
        const current = this.owners.get(lease.partition);
        if (current !== undefined)
          this.overlaps.push(`${name} started ${lease.partition} held by ${current}`);
        this.owners.set(lease.partition, name);
        this.log.push(`${name} start ${lease.partition} token ${lease.token}`);
      },
      stop: (lease: HeldLease, reason: LeaseEndReason) => {
        if (this.owners.get(lease.partition) === name) this.owners.delete(lease.partition);
        this.log.push(`${name} stop ${lease.partition} ${reason}`);
      },
    };
  }
  heldBy(name: string): number[] {
    return [...this.owners]
      .filter(([, o]) => o === name)
      .map(([p]) => p)
      .sort((a, b) => a - b);
  }
}

function leases(name: string, ownership: Ownership, conn: Redis, partitions = [1, 2, 3, 4]) {
  const l = new PartitionLeases({
    redis: conn,
    endpoint: 'firehose',
    partitions,
    owner: name,
    worker: ownership.worker(name),
    ...TIMING,
  });
  running.push(l);
  return l;
}

describe('PartitionLeases', () => {
  it('refuses a lease TTL that does not outlive stall timeout plus renew interval', () => {
    let error: unknown;
    try {
      new PartitionLeases({
        redis: db.redis,
        endpoint: 'firehose',
        partitions: [1],
        worker: { start() {}, stop() {} },
        leaseTtlMs: 30_000,
        renewIntervalMs: 5_000,
        stallTimeoutMs: 30_000,
      });
    } catch (e) {
      error = e;
    }
    expect(isConfigError(error)).toBe(true);
    expect((error as Error).message).toContain('leaseTtlMs (30000) must be greater than');
  });

  it('a lone worker claims every partition with SET NX and a fencing token', async () => {
    const ownership = new Ownership();
    const a = leases('a', ownership, db.redis);
    await a.start();
    expect(a.held).toEqual([1, 2, 3, 4]);
    expect(await db.redis.get(leaseKey('firehose', 2))).toBe('1:a');
    expect(Number(await db.redis.pttl(leaseKey('firehose', 2)))).toBeGreaterThan(0);
  });

  it('shares the partitions ceil(n / live workers) each, never starting one in two workers', async () => {
    const ownership = new Ownership();
    const a = leases('a', ownership, db.redis, [1, 2, 3, 4, 5, 6]);
    await a.start();
    const conn = connect(db.server);
    opened.push(conn);
    const b = leases('b', ownership, conn, [1, 2, 3, 4, 5, 6]);
    await b.start();
    await until(
      () => ownership.heldBy('a').length === 3 && ownership.heldBy('b').length === 3,
      'a and b hold 3 partitions each',
    );
    const conn3 = connect(db.server);
    opened.push(conn3);
    const c = leases('c', ownership, conn3, [1, 2, 3, 4, 5, 6]);
    await c.start();
    await until(
      () => ['a', 'b', 'c'].every((w) => ownership.heldBy(w).length === 2),
      'three workers hold 2 partitions each',
    );
    expect(ownership.overlaps).toEqual([]);
    expect(
      ownership.log.filter((l) => l.includes('stop')).every((l) => l.endsWith('released')),
    ).toBe(true);
  });

  it('close() releases the leases, so another worker takes them over at its next round', async () => {
    const ownership = new Ownership();
    const a = leases('a', ownership, db.redis);
    await a.start();
    const conn = connect(db.server);
    opened.push(conn);
    const b = leases('b', ownership, conn);
    await b.start();
    expect(b.held).toEqual([]);
    await a.close();
    expect(await db.redis.exists(leaseKey('firehose', 1))).toBe(0);
    await until(() => ownership.heldBy('b').length === 4, 'b holds all 4');
    // New claims get new fencing tokens.
    expect(
      ownership.log.filter((l) => l.startsWith('b start')).every((l) => l.endsWith('token 2')),
    ).toBe(true);
    expect(ownership.overlaps).toEqual([]);
  });

  it('a worker cut off from Redis stops its partitions before another worker can claim them', async () => {
    const proxy = await startTcpProxy(db.server.port);
    const viaProxy = new Redis(proxy.port, '127.0.0.1', { maxRetriesPerRequest: null });
    viaProxy.on('error', () => {});
    opened.push(viaProxy);
    try {
      const ownership = new Ownership();
      const a = leases('a', ownership, viaProxy);
      await a.start();
      expect(a.held).toEqual([1, 2, 3, 4]);
      const conn = connect(db.server);
      opened.push(conn);
      const b = leases('b', ownership, conn);
      await b.start();
      await until(() => ownership.heldBy('b').length === 2, 'b holds 2');
      const aHeld = ownership.heldBy('a');
      proxy.freeze();
      await until(() => ownership.heldBy('b').length === 4, 'b took over all 4');
      // a stopped each of its partitions ('expiring') before b started it.
      for (const p of aHeld) {
        const stopped = ownership.log.indexOf(`a stop ${p} expiring`);
        const taken = ownership.log.findIndex((l) => l.startsWith(`b start ${p} `));
        expect(stopped).toBeGreaterThanOrEqual(0);
        expect(stopped).toBeLessThan(taken);
      }
      expect(ownership.overlaps).toEqual([]);
      proxy.thaw();
    } finally {
      await proxy.close();
    }
  });
});
