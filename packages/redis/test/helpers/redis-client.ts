import { Redis, type RedisOptions } from 'ioredis';
import type { RedisServer } from './redis-server.js';

/** An ioredis connection to `server` that retries quickly (tests restart servers). */
export function connect(server: RedisServer, options: RedisOptions = {}): Redis {
  const redis = new Redis(server.port, '127.0.0.1', {
    retryStrategy: () => 20,
    maxRetriesPerRequest: null,
    ...options,
  });
  // Tests kill servers and connections on purpose: ioredis reconnects, nothing to report.
  redis.on('error', () => {});
  return redis;
}

/** The identities (`id` field) of every entry of `key`, in stream order. */
export async function streamIds(redis: Redis, key: string): Promise<string[]> {
  const entries = await redis.xrange(key, '-', '+');
  return entries.map(([, fields]) => fields[fields.indexOf('id') + 1] ?? '');
}

/** A post with `id`. */
export function post(id: string | number, extra: Record<string, unknown> = {}) {
  return { data: { id: String(id), text: `post ${id}`, ...extra } };
}
