import {
  type Clock,
  ConfigError,
  ConnectionError,
  itemTime,
  PayloadError,
  systemClock,
  type TimerHandle,
} from '@birdstream/core';
import type { Redis } from 'ioredis';
import { LeaseLostError } from '../errors.js';
import { DEFAULT_PREFIX, dedupeKey, defaultStreamKey, deliveredKey } from '../keys.js';
import { type BirdstreamCommands, commandsFor } from '../scripts/commands.js';
import { isTransientRedisError, retryDelay } from './retry.js';
import {
  type Fence,
  postIdentity,
  type StreamSink,
  type WriteContext,
  type WriteOutcome,
} from './stream-sink.js';

/** 25 hours: longer than X's 24-hour recovery window (and far beyond 5-minute backfill). */
export const DEFAULT_DEDUPE_TTL_MS = 25 * 60 * 60 * 1000;
/** Most messages written to Redis in one batch (`maxBatch`). */
export const DEFAULT_MAX_BATCH = 500;
/** Longest a message waits for its batch before it is written, ms (`maxDelayMs`). */
export const DEFAULT_MAX_DELAY_MS = 5;

/** Options of `RedisStreamSink`. */
export interface RedisStreamSinkOptions<T> {
  /** An ioredis connection; the sink registers its Lua scripts on it and never closes it. */
  redis: Redis;
  /** The endpoint the messages come from; names the default stream key. */
  endpoint: string;
  /** The Redis stream to append to. @default `${prefix}:${endpoint}` */
  streamKey?: string;
  /** First part of the default stream key. @default 'birdstream' */
  prefix?: string;
  /**
   * A message's identity for deduplication. A message without one is
   * refused with a `PayloadError`.
   * @default the post's `data.id`
   */
  identity?: (message: T) => string | undefined;
  /** How a message is stored in the entry's `data` field. @default JSON.stringify */
  serialize?: (message: T) => string;
  /**
   * How long an identity is remembered, in ms. Must exceed the longest
   * replay you use (backfill 5 min, recovery 24 h). Each identity costs about
   * 100 bytes of Redis memory for this long.
   * @default 90_000_000 (25 h)
   */
  dedupeTtlMs?: number;
  /** Trim the stream to about this many entries (`XADD MAXLEN ~`). @default undefined (no trimming) */
  maxLen?: number;
  /** Most messages per batch (one Lua call). @default 500 */
  maxBatch?: number;
  /** Longest a message waits for its batch to fill, in ms. @default 5 */
  maxDelayMs?: number;
  /** Back-off of a failed write: first delay in ms. @default 50 */
  retryInitialMs?: number;
  /** Back-off of a failed write: longest delay in ms. @default 5_000 */
  retryMaxMs?: number;
  /** Attempts after the first before a transient failure rejects the batch. @default Infinity */
  maxRetries?: number;
  /** Called before each retry of a batch. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** @default systemClock */
  clock?: Clock;
}

interface Pending {
  identity: string;
  payload: string;
  /** The message's item time (epoch ms). */
  at: number;
  resolve(outcome: WriteOutcome): void;
  reject(error: unknown): void;
}

/** Messages of one partition under one fence, flushed in order, one batch at a time. */
interface Lane {
  partition: number | undefined;
  fence: Fence | undefined;
  queue: Pending[];
  timer: TimerHandle | undefined;
  flushing: Promise<void> | undefined;
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new ConfigError(`${name} must be a positive whole number, got ${String(value)}.`);
  }
  return value;
}

/**
 * Appends messages to a Redis stream exactly once by identity. Messages are
 * batched (by size and time) per partition and each batch is one atomic Lua
 * script: per message `SET <dedupe key> NX PX <ttl>` and, only when new,
 * `XADD`; with a fence, nothing is written unless the lease still holds.
 * Failed batches are retried with back-off; because the dedupe keys are set
 * in the same script, a retry of a batch that did land appends nothing.
 *
 * Entries have the fields `id` (the identity), `p` (the partition, or
 * empty) and `data` (the serialised message).
 *
 * @example
 * ```ts
 * const sink = new RedisStreamSink({ redis: new Redis(), endpoint: 'firehose' });
 * await sink.write(post, { partition: 3 }); // 'written' or 'duplicate'
 * ```
 */
export class RedisStreamSink<T = unknown> implements StreamSink<T> {
  /** The Redis stream written to. */
  readonly streamKey: string;
  readonly #redis: Redis;
  readonly #commands: BirdstreamCommands;
  readonly #identity: (message: T) => string | undefined;
  readonly #serialize: (message: T) => string;
  readonly #dedupeTtlMs: number;
  readonly #maxLen: number;
  readonly #maxBatch: number;
  readonly #maxDelayMs: number;
  readonly #retryInitialMs: number;
  readonly #retryMaxMs: number;
  readonly #maxRetries: number;
  readonly #onRetry: RedisStreamSinkOptions<T>['onRetry'];
  readonly #clock: Clock;
  readonly #lanes = new Map<string, Lane>();
  #closed = false;

  constructor(options: RedisStreamSinkOptions<T>) {
    if (!options?.redis)
      throw new ConfigError('RedisStreamSink needs { redis }: an ioredis connection.');
    if (typeof options.endpoint !== 'string' || options.endpoint === '') {
      throw new ConfigError(
        "RedisStreamSink needs { endpoint }: the stream's name, e.g. 'firehose'.",
      );
    }
    this.#redis = options.redis;
    this.#commands = commandsFor(options.redis);
    this.streamKey =
      options.streamKey ?? defaultStreamKey(options.endpoint, options.prefix ?? DEFAULT_PREFIX);
    this.#identity = options.identity ?? postIdentity;
    this.#serialize = options.serialize ?? ((message) => JSON.stringify(message));
    this.#dedupeTtlMs = positiveInteger('dedupeTtlMs', options.dedupeTtlMs, DEFAULT_DEDUPE_TTL_MS);
    this.#maxLen = options.maxLen === undefined ? 0 : positiveInteger('maxLen', options.maxLen, 0);
    this.#maxBatch = positiveInteger('maxBatch', options.maxBatch, DEFAULT_MAX_BATCH);
    this.#maxDelayMs = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
    if (!(this.#maxDelayMs >= 0)) {
      throw new ConfigError(
        `maxDelayMs must be a number of ms ≥ 0, got ${String(options.maxDelayMs)}.`,
      );
    }
    this.#retryInitialMs = positiveInteger('retryInitialMs', options.retryInitialMs, 50);
    this.#retryMaxMs = positiveInteger('retryMaxMs', options.retryMaxMs, 5_000);
    this.#maxRetries = options.maxRetries ?? Number.POSITIVE_INFINITY;
    if (!(this.#maxRetries >= 0)) {
      throw new ConfigError(
        `maxRetries must be ≥ 0 or Infinity, got ${String(options.maxRetries)}.`,
      );
    }
    this.#onRetry = options.onRetry;
    this.#clock = options.clock ?? systemClock;
  }

  write(message: T, context: WriteContext = {}): Promise<WriteOutcome> {
    if (this.#closed) {
      return Promise.reject(
        new ConfigError('This sink is closed: create a new RedisStreamSink to write.'),
      );
    }
    let identity: string | undefined;
    let payload: string;
    try {
      identity = this.#identity(message);
      payload = this.#serialize(message);
    } catch (cause) {
      return Promise.reject(
        new PayloadError('schema-mismatch', {
          byteLength: 0,
          cause,
          message:
            'The message could not be identified or serialised for Redis; it was not written.',
        }),
      );
    }
    if (typeof identity !== 'string' || identity === '') {
      return Promise.reject(
        new PayloadError('schema-mismatch', {
          byteLength: payload.length,
          issues: [{ path: ['data', 'id'], message: 'missing identity' }],
          message:
            'The message has no identity (data.id by default), so it cannot be written exactly once; pass an identity function that returns a string.',
        }),
      );
    }
    const lane = this.#lane(context);
    return new Promise<WriteOutcome>((resolve, reject) => {
      const at = context.itemAt ?? itemTime(message) ?? this.#clock.now();
      lane.queue.push({ identity: identity as string, payload, at, resolve, reject });
      if (lane.queue.length >= this.#maxBatch) this.#startFlush(lane);
      else if (lane.timer === undefined && lane.flushing === undefined) {
        lane.timer = this.#clock.setTimeout(() => {
          lane.timer = undefined;
          this.#startFlush(lane);
        }, this.#maxDelayMs);
      }
    });
  }

  async flush(): Promise<void> {
    while ([...this.#lanes.values()].some((l) => l.queue.length > 0 || l.flushing)) {
      await Promise.all([...this.#lanes.values()].map((lane) => this.#startFlush(lane)));
    }
  }

  async lastDeliveredAt(partition: number): Promise<number | undefined> {
    const value = await this.#redis.hget(deliveredKey(this.streamKey), String(partition));
    return value === null ? undefined : Number(value);
  }

  async openPartition(partition: number, at: number): Promise<number | undefined> {
    const key = deliveredKey(this.streamKey);
    const [[, last]] = (await this.#redis
      .multi()
      .hget(key, String(partition))
      .hsetnx(key, String(partition), String(at))
      .exec()) as [[unknown, string | null], unknown];
    return last === null ? undefined : Number(last);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.flush();
    this.#closed = true;
  }

  #lane(context: WriteContext): Lane {
    const key = `${context.partition ?? ''}|${context.fence?.key ?? ''}|${context.fence?.value ?? ''}`;
    let lane = this.#lanes.get(key);
    if (!lane) {
      lane = {
        partition: context.partition,
        fence: context.fence,
        queue: [],
        timer: undefined,
        flushing: undefined,
      };
      this.#lanes.set(key, lane);
    }
    return lane;
  }

  /** Flushes `lane` until empty (one batch in flight per lane); returns the running flush. */
  #startFlush(lane: Lane): Promise<void> {
    if (lane.timer !== undefined) {
      this.#clock.clearTimeout(lane.timer);
      lane.timer = undefined;
    }
    if (lane.flushing) return lane.flushing;
    lane.flushing = (async () => {
      while (lane.queue.length > 0) {
        const batch = lane.queue.splice(0, this.#maxBatch);
        try {
          const outcomes = await this.#writeWithRetry(lane, batch);
          for (const [i, p] of batch.entries()) p.resolve(outcomes[i] ?? 'written');
        } catch (error) {
          for (const p of batch) p.reject(error);
          if (error instanceof LeaseLostError) {
            // Everything queued under this fence is refused the same way.
            for (const p of lane.queue.splice(0)) p.reject(error);
          }
        }
      }
    })().finally(() => {
      lane.flushing = undefined;
      // A write may have arrived after the loop's last look: flush it too.
      if (lane.queue.length > 0) void this.#startFlush(lane);
      else for (const [key, l] of this.#lanes) if (l === lane) this.#lanes.delete(key);
    });
    return lane.flushing;
  }

  async #writeWithRetry(lane: Lane, batch: Pending[]): Promise<WriteOutcome[]> {
    const keys = [
      this.streamKey,
      deliveredKey(this.streamKey),
      lane.fence?.key ?? this.streamKey,
      ...batch.map((p) => dedupeKey(this.streamKey, p.identity)),
    ];
    let newest = 0;
    for (const p of batch) if (p.at > newest) newest = p.at;
    const args: (string | number)[] = [
      lane.fence?.value ?? '',
      this.#dedupeTtlMs,
      this.#maxLen,
      lane.partition ?? '',
      Math.round(newest),
    ];
    for (const p of batch) args.push(p.identity, p.payload);
    for (let attempt = 0; ; attempt++) {
      try {
        const reply = await this.#commands.writeBatch(keys, args);
        if (reply === -1 || reply === '-1') throw new LeaseLostError(lane.partition ?? 0);
        const text = String(reply);
        return batch.map((_, i) => (text[i] === '0' ? 'duplicate' : 'written'));
      } catch (error) {
        if (error instanceof LeaseLostError) throw error;
        if (!isTransientRedisError(error)) {
          throw new ConnectionError(
            `Redis refused a batch for ${this.streamKey}: ${(error as Error).message}. Check that the key is a stream and the server runs Redis 6.2 or newer.`,
            { cause: error },
          );
        }
        if (attempt >= this.#maxRetries) {
          throw new ConnectionError(
            `Redis did not accept a batch for ${this.streamKey} after ${attempt + 1} attempts (${(error as Error).message}); check that Redis is reachable.`,
            { cause: error },
          );
        }
        const delay = retryDelay(attempt + 1, this.#retryInitialMs, this.#retryMaxMs);
        this.#onRetry?.(error, attempt + 1, delay);
        await new Promise<void>((resolve) => this.#clock.setTimeout(resolve, delay));
      }
    }
  }
}
