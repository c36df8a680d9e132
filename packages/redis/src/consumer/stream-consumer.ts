import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { ConfigError, PayloadError } from '@birdstream/core';
import type { Redis } from 'ioredis';
import { DEFAULT_PREFIX, defaultStreamKey } from '../keys.js';
import { entriesOfAutoclaim, entriesOfRead, fieldOf, type RawEntry } from './entries.js';

/** One message read from the group. Call `ack()` once it is processed. */
export interface ConsumedMessage<T> {
  /** The Redis stream entry id, e.g. `1733200000000-0`. */
  entryId: string;
  /** The message's identity (the post id by default). */
  identity: string;
  /** The partition it was read from, when known. */
  partition: number | undefined;
  /** The message. */
  data: T;
  /** Acknowledges it (`XACK`): no other consumer of the group gets it again. */
  ack(): Promise<void>;
}

/** Options of `StreamConsumer`. */
export interface StreamConsumerOptions<T> {
  /**
   * An ioredis connection for acks and claims; the consumer makes its own
   * duplicate for blocking reads and closes only that one.
   */
  redis: Redis;
  /** The consumer group; created (with the stream) when missing. */
  group: string;
  /** This consumer's name in the group. @default `${hostname}:${pid}:${random}` */
  consumer?: string;
  /** The stream to read. @default `${prefix}:${endpoint}` */
  streamKey?: string;
  /** The endpoint whose default stream key is read. Needed without `streamKey`. */
  endpoint?: string;
  /** @default 'birdstream' */
  prefix?: string;
  /** Entries per read. @default 100 */
  count?: number;
  /** How long a read waits for new entries, in ms. @default 5_000 */
  blockMs?: number;
  /**
   * Entries another consumer left unacknowledged for this long are claimed
   * (`XAUTOCLAIM`): how the group recovers what a dead consumer held.
   * @default 60_000
   */
  claimIdleMs?: number;
  /** Where a newly created group starts: `'0'` the whole stream, `'$'` only new entries. @default '0' */
  startId?: string;
  /** Turns an entry's `data` field into a message. @default JSON.parse */
  parse?: (data: string) => T;
  /**
   * Called for an entry whose data cannot be parsed; the entry is
   * acknowledged (so it does not come back) and skipped.
   */
  onInvalid?: (error: PayloadError, entryId: string) => void;
  /** Closes the consumer when aborted. */
  signal?: AbortSignal;
}

/**
 * Reads a Redis stream as one consumer of a consumer group, as an async
 * iterable: it reads the next batch only when the loop asked for more than
 * it holds (backpressure), first re-reads what this consumer left pending,
 * then claims what dead consumers left pending for `claimIdleMs`, then waits
 * for new entries (`XREADGROUP … BLOCK`). `close()` (or `break`) ends the
 * loop quietly; unacknowledged messages stay pending for the group.
 *
 * @example
 * ```ts
 * const consumer = new StreamConsumer({ redis, endpoint: 'firehose', group: 'indexer' });
 * for await (const message of consumer) {
 *   await index(message.data);
 *   await message.ack();
 * }
 * ```
 */
export class StreamConsumer<T = unknown> implements AsyncIterable<ConsumedMessage<T>> {
  readonly streamKey: string;
  readonly group: string;
  readonly consumer: string;
  readonly #redis: Redis;
  readonly #reader: Redis;
  readonly #count: number;
  readonly #blockMs: number;
  readonly #claimIdleMs: number;
  readonly #startId: string;
  readonly #parse: (data: string) => T;
  readonly #onInvalid: StreamConsumerOptions<T>['onInvalid'];
  readonly #buffer: ConsumedMessage<T>[] = [];
  #groupReady: Promise<void> | undefined;
  #ownPending = true;
  #claimCursor = '0-0';
  #closed = false;
  #iterating = false;

  constructor(options: StreamConsumerOptions<T>) {
    if (!options?.redis)
      throw new ConfigError('StreamConsumer needs { redis }: an ioredis connection.');
    if (typeof options.group !== 'string' || options.group === '') {
      throw new ConfigError("StreamConsumer needs { group }: the consumer group's name.");
    }
    if (options.streamKey === undefined && !options.endpoint) {
      throw new ConfigError("StreamConsumer needs { streamKey } or { endpoint }, e.g. 'firehose'.");
    }
    this.streamKey =
      options.streamKey ??
      defaultStreamKey(options.endpoint as string, options.prefix ?? DEFAULT_PREFIX);
    this.group = options.group;
    this.consumer = options.consumer ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.#redis = options.redis;
    this.#reader = options.redis.duplicate();
    this.#reader.on('error', () => {});
    this.#count = options.count ?? 100;
    this.#blockMs = options.blockMs ?? 5_000;
    this.#claimIdleMs = options.claimIdleMs ?? 60_000;
    this.#startId = options.startId ?? '0';
    this.#parse = options.parse ?? ((data) => JSON.parse(data) as T);
    this.#onInvalid = options.onInvalid;
    if (options.signal?.aborted) void this.close();
    options.signal?.addEventListener('abort', () => void this.close(), { once: true });
  }

  /** True once closed. */
  get closed(): boolean {
    return this.#closed;
  }

  [Symbol.asyncIterator](): AsyncIterator<ConsumedMessage<T>> {
    if (this.#iterating) {
      throw new ConfigError('This consumer is already being read: create another StreamConsumer.');
    }
    this.#iterating = true;
    return {
      next: async () => {
        const message = await this.read();
        return message === undefined
          ? { done: true, value: undefined }
          : { done: false, value: message };
      },
      return: async () => {
        await this.close();
        return { done: true, value: undefined };
      },
    };
  }

  /** The next message, reading a batch when none is held; `undefined` once closed. */
  async read(): Promise<ConsumedMessage<T> | undefined> {
    while (!this.#closed) {
      const held = this.#buffer.shift();
      if (held) return held;
      try {
        await this.#fill();
      } catch (error) {
        if (this.#closed) return undefined;
        throw error;
      }
    }
    return undefined;
  }

  /** Stops reading and closes the consumer's own connection; pending messages stay pending. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#buffer.length = 0;
    this.#reader.disconnect();
  }

  #ensureGroup(): Promise<void> {
    this.#groupReady ??= this.#redis
      .xgroup('CREATE', this.streamKey, this.group, this.#startId, 'MKSTREAM')
      .then(
        () => undefined,
        (error: Error) => {
          this.#groupReady = undefined;
          if (!/BUSYGROUP/.test(error.message)) throw error;
        },
      );
    return this.#groupReady;
  }

  async #fill(): Promise<void> {
    await this.#ensureGroup();
    if (this.#ownPending) {
      const own = entriesOfRead(
        await this.#reader.xreadgroup(
          'GROUP',
          this.group,
          this.consumer,
          'COUNT',
          this.#count,
          'STREAMS',
          this.streamKey,
          '0',
        ),
      );
      if (own.length === 0) this.#ownPending = false;
      else return this.#hold(own);
    }
    const [cursor, claimed] = entriesOfAutoclaim(
      await this.#redis.xautoclaim(
        this.streamKey,
        this.group,
        this.consumer,
        this.#claimIdleMs,
        this.#claimCursor,
        'COUNT',
        this.#count,
      ),
    );
    this.#claimCursor = cursor;
    if (claimed.length > 0) return this.#hold(claimed);
    const fresh = entriesOfRead(
      await this.#reader.xreadgroup(
        'GROUP',
        this.group,
        this.consumer,
        'COUNT',
        this.#count,
        'BLOCK',
        this.#blockMs,
        'STREAMS',
        this.streamKey,
        '>',
      ),
    );
    await this.#hold(fresh);
  }

  async #hold(entries: RawEntry[]): Promise<void> {
    for (const [entryId, fields] of entries) {
      const raw = fieldOf(fields, 'data') ?? '';
      let data: T;
      try {
        data = this.#parse(raw);
      } catch (cause) {
        await this.#redis.xack(this.streamKey, this.group, entryId);
        this.#onInvalid?.(
          new PayloadError('invalid-json', {
            byteLength: Buffer.byteLength(raw),
            raw,
            cause,
            message: `Stream entry ${entryId} of ${this.streamKey} has data that does not parse; it was acknowledged and skipped.`,
          }),
          entryId,
        );
        continue;
      }
      const partition = fieldOf(fields, 'p');
      this.#buffer.push({
        entryId,
        identity: fieldOf(fields, 'id') ?? '',
        partition: partition ? Number(partition) : undefined,
        data,
        ack: async () => {
          await this.#redis.xack(this.streamKey, this.group, entryId);
        },
      });
    }
  }
}
