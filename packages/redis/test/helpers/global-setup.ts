import { ensureRedis } from '../../../../scripts/ensure-redis.mjs';

/** vitest global setup of the redis project: redis-server on PATH, or one line saying what to install. */
export default function setup(): void {
  ensureRedis();
}
