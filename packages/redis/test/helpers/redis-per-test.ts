import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { connect } from './redis-client.js';
import { type RedisServer, startRedisServer } from './redis-server.js';

/** What {@link useRedis} gives a test file: its server, and this test's connection. */
export interface RedisPerTest {
  /** The file's own redis-server (a free loopback port, a temp dir), started once. */
  readonly server: RedisServer;
  /** A connection opened for the current test, on an emptied database; closed after it. */
  readonly redis: Redis;
}

/**
 * One Redis server for the test file and, for each test, an empty database and
 * a fresh connection. Call it at the top of the file, before the file's own
 * hooks: its `afterEach` then runs after theirs (vitest runs after-hooks in
 * reverse), so a test's workers are stopped before its connection closes.
 */
export function useRedis(): RedisPerTest {
  let server: RedisServer | undefined;
  let redis: Redis | undefined;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.dispose();
  });
  beforeEach(async () => {
    redis = connect(required(server, 'server'));
    await redis.flushall();
  });
  afterEach(() => {
    redis?.disconnect();
    redis = undefined;
  });
  return {
    get server() {
      return required(server, 'server');
    },
    get redis() {
      return required(redis, 'redis');
    },
  };
}

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`useRedis: no ${name} outside a test of this file`);
  return value;
}
