import { ConfigError } from '@birdstream/core';
import type { Redis } from 'ioredis';
import { DEFAULT_PREFIX } from './keys.js';
import { DEFAULT_DEDUPE_TTL_MS } from './sink/redis-stream-sink.js';

/**
 * How long a webhook delivery being handed over holds its claim: 30 s, well
 * past the receiver's hand-over timeout (8 s). A crashed instance's claim
 * frees itself after this.
 */
export const DEFAULT_WEBHOOK_PENDING_TTL_MS = 30_000;

/** Options of `new RedisDeliveryDedupe()`. */
export interface RedisDeliveryDedupeOptions {
  /** An ioredis connection; never closed by the store. */
  redis: Redis;
  /** First part of every key: `${prefix}:webhook:delivered:${postId}`. @default 'birdstream' */
  prefix?: string;
  /**
   * How long a handed-over post id is remembered, in ms: cover X's 24-hour
   * replay window. About 100 bytes of Redis memory per post for this long.
   * @default 90_000_000 (25 h)
   */
  doneTtlMs?: number;
  /** How long a claim being handed over lasts, in ms (longer than `handoffTimeoutMs`). @default 30_000 */
  pendingTtlMs?: number;
}

/**
 * Claims the key for this hand-over (`1`), or says it was handed over (`0`)
 * or is being handed over elsewhere (`2`). One atomic script.
 */
const CLAIM_LUA = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if redis.call('GET', KEYS[1]) == 'done' then return 0 end
return 2`;

/** Deletes the key only while it still holds this hand-over's token. */
const RELEASE_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

type Scripted = Redis & {
  birdstreamWebhookClaim?(key: string, token: string, ttlMs: number): Promise<number>;
  birdstreamWebhookRelease?(key: string, token: string): Promise<number>;
};

/**
 * The webhook dedupe of several instances behind a load balancer, in Redis:
 * a `DeliveryDedupeStore` of `@birdstream/webhooks`. A post is claimed with
 * `SET NX PX` (a token, for `pendingTtlMs`), marked `done` for `doneTtlMs`
 * once handed over, and deleted when the hand-over failed, so X's retry is
 * handed over again on whichever instance it lands. A copy arriving while
 * another instance hands the post over is `in-flight`: the receiver answers
 * 503 and X's retry then finds it done.
 *
 * @example
 * ```ts
 * const receiver = new WebhookReceiver({
 *   consumerSecret: process.env.X_CONSUMER_SECRET,
 *   dedupe: new RedisDeliveryDedupe({ redis: new Redis(process.env.REDIS_URL) }),
 *   onDelivery,
 * });
 * ```
 */
export class RedisDeliveryDedupe {
  readonly #redis: Scripted;
  readonly #prefix: string;
  readonly #doneTtlMs: number;
  readonly #pendingTtlMs: number;

  constructor(options: RedisDeliveryDedupeOptions) {
    if (!options?.redis) {
      throw new ConfigError('RedisDeliveryDedupe needs { redis }: an ioredis connection.');
    }
    this.#redis = options.redis as Scripted;
    this.#prefix = options.prefix ?? DEFAULT_PREFIX;
    this.#doneTtlMs = ttl('doneTtlMs', options.doneTtlMs, DEFAULT_DEDUPE_TTL_MS);
    this.#pendingTtlMs = ttl('pendingTtlMs', options.pendingTtlMs, DEFAULT_WEBHOOK_PENDING_TTL_MS);
    const redis = this.#redis;
    if (typeof redis.birdstreamWebhookClaim !== 'function') {
      redis.defineCommand('birdstreamWebhookClaim', { numberOfKeys: 1, lua: CLAIM_LUA });
    }
    if (typeof redis.birdstreamWebhookRelease !== 'function') {
      redis.defineCommand('birdstreamWebhookRelease', { numberOfKeys: 1, lua: RELEASE_LUA });
    }
  }

  /** The Redis key of a post id. */
  keyOf(id: string): string {
    return `${this.#prefix}:webhook:delivered:${id}`;
  }

  async claim(
    id: string,
  ): Promise<
    | { status: 'new'; commit(): Promise<void>; release(): Promise<void> }
    | { status: 'duplicate' }
    | { status: 'in-flight' }
  > {
    const key = this.keyOf(id);
    const token = `pending:${crypto.randomUUID()}`;
    const redis = this.#redis;
    const outcome = await redis.birdstreamWebhookClaim?.(key, token, this.#pendingTtlMs);
    if (outcome === 0) return { status: 'duplicate' };
    if (outcome === 2) return { status: 'in-flight' };
    return {
      status: 'new',
      commit: async () => {
        await redis.set(key, 'done', 'PX', this.#doneTtlMs);
      },
      release: async () => {
        await redis.birdstreamWebhookRelease?.(key, token);
      },
    };
  }
}

function ttl(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new ConfigError(
      `${name} must be a positive whole number of milliseconds, got ${String(value)}.`,
    );
  }
  return value;
}
