import { RedisDeliveryDedupe } from '@birdstream/redis';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, expectTypeOf, test } from 'vitest';
// The redis package's own test helpers: a real redis-server on a free loopback port.
import { connect } from '../../redis/test/helpers/redis-client.js';
import { type RedisServer, startRedisServer } from '../../redis/test/helpers/redis-server.js';
import { type DeliveryDedupeStore, WebhookReceiver } from '../src/index.js';
import { deliveryRequest, postBody, read, SECRET } from './support/deliveries.js';

let server: RedisServer;
let redis: Redis;
beforeAll(async () => {
  server = await startRedisServer();
  redis = connect(server);
});
afterAll(async () => {
  redis.disconnect();
  await server.dispose();
});

/** One instance of a service behind a load balancer: its own receiver, the shared Redis. */
function instance(prefix: string, handedOver: string[], fail: { now: boolean } = { now: false }) {
  return new WebhookReceiver({
    consumerSecret: SECRET,
    dedupe: new RedisDeliveryDedupe({ redis, prefix }),
    onDelivery: async ({ id }) => {
      if (fail.now) throw new Error('instance failed');
      handedOver.push(id);
    },
  });
}

describe('RedisDeliveryDedupe: one post handed over once across instances', () => {
  test('it is a DeliveryDedupeStore', () => {
    expectTypeOf<RedisDeliveryDedupe>().toExtend<DeliveryDedupeStore>();
  });

  test('a redundant copy at another instance is a duplicate; the key expires after 25 h', async () => {
    const handedOver: string[] = [];
    const a = instance('t1', handedOver);
    const b = instance('t1', handedOver);
    expect((await read(await a.fetch(deliveryRequest(postBody('100'))))).json.status).toBe(
      'delivered',
    );
    expect((await read(await b.fetch(deliveryRequest(postBody('100'))))).json.status).toBe(
      'duplicate',
    );
    expect(handedOver).toEqual(['100']);
    const ttl = await redis.pttl('t1:webhook:delivered:100');
    expect(ttl).toBeGreaterThan(24 * 3_600_000);
    expect(ttl).toBeLessThanOrEqual(25 * 3_600_000);
  });

  test('a copy arriving while another instance hands the post over: 503, and the retry is a duplicate', async () => {
    const handedOver: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const a = new WebhookReceiver({
      consumerSecret: SECRET,
      dedupe: new RedisDeliveryDedupe({ redis, prefix: 't2' }),
      onDelivery: async ({ id }) => {
        await gate;
        handedOver.push(id);
      },
    });
    const b = instance('t2', handedOver);
    const first = a.fetch(deliveryRequest(postBody('101')));
    await expect.poll(() => redis.get('t2:webhook:delivered:101')).toMatch(/^pending:/);
    const copy = await read(await b.fetch(deliveryRequest(postBody('101'))));
    expect([copy.status, copy.json.error]).toEqual([503, 'in-flight-elsewhere']);
    release();
    expect((await read(await first)).json.status).toBe('delivered');
    expect((await read(await b.fetch(deliveryRequest(postBody('101'))))).json.status).toBe(
      'duplicate',
    );
    expect(handedOver).toEqual(['101']);
  });

  test('a failed hand-over releases the claim: the retry is handed over by another instance', async () => {
    const handedOver: string[] = [];
    const a = instance('t3', handedOver, { now: true });
    const b = instance('t3', handedOver);
    expect((await a.fetch(deliveryRequest(postBody('102')))).status).toBe(500);
    expect(await redis.exists('t3:webhook:delivered:102')).toBe(0);
    expect((await read(await b.fetch(deliveryRequest(postBody('102'))))).json.status).toBe(
      'delivered',
    );
    expect(handedOver).toEqual(['102']);
  });

  test('the claim of a crashed instance frees itself after pendingTtlMs', async () => {
    const store = new RedisDeliveryDedupe({ redis, prefix: 't4', pendingTtlMs: 60_000 });
    const claim = await store.claim('103');
    expect(claim.status).toBe('new');
    // The instance dies here (no commit, no release). Its claim still blocks…
    expect((await store.claim('103')).status).toBe('in-flight');
    // …until it expires (fast-forwarded instead of waiting a minute).
    await redis.pexpire(store.keyOf('103'), 1);
    await expect.poll(() => redis.exists(store.keyOf('103'))).toBe(0);
    expect((await store.claim('103')).status).toBe('new');
  });

  test('a release never deletes another instance’s claim', async () => {
    const store = new RedisDeliveryDedupe({ redis, prefix: 't5' });
    const old = await store.claim('104');
    if (old.status !== 'new') throw new Error('expected a new claim');
    await redis.del(store.keyOf('104')); // the old claim expired…
    const current = await store.claim('104'); // …and another instance claimed it
    expect(current.status).toBe('new');
    await old.release();
    expect(await redis.get(store.keyOf('104'))).toMatch(/^pending:/);
  });

  test('options are checked', () => {
    expect(() => new RedisDeliveryDedupe({} as never)).toThrow(/needs \{ redis \}/);
    expect(() => new RedisDeliveryDedupe({ redis, doneTtlMs: 0 })).toThrow(/doneTtlMs/);
  });
});
