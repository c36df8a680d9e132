import { createPostDedupe, type DedupeSettings, type PostDedupe } from '../dedupe/post-dedupe.js';
import type { DedupeOverflow } from '../dedupe/timed-id-window.js';
import { emptyStats, type StreamStats } from '../driver/stream-stats.js';
import type { BirdstreamError } from '../errors/birdstream-error.js';
import { ConfigError } from '../errors/config-error.js';
import type { StreamEventOf } from '../events/event-emitter.js';
import type { StreamLifecycleEventType } from '../events/lifecycle.js';
import { TypedEmitter } from '../events/typed-emitter.js';
import { type Clock, systemClock } from '../time/clock.js';
import type { EndpointStream } from './endpoint-stream.js';
import { readableFromIterable } from './iterator-readable.js';

/** A lifecycle event of one partition, tagged with the partition it came from. */
export type PartitionEventOf<K extends StreamLifecycleEventType> = StreamEventOf<K> & {
  /** The partition whose connection the event is about. */
  partition: number;
};

/** A listener for partition-tagged events of type `K`. */
export type PartitionEventListener<K extends StreamLifecycleEventType> = (
  event: PartitionEventOf<K>,
) => void;

/** What a partitioned stream emits itself (across partitions), besides its partitions' events. */
type OwnEvent = PartitionEventOf<'duplicate'> | PartitionEventOf<'dedupe-overflow'>;

/** Listeners by event type, as the `on` option of `client.partitions()`. */
export type PartitionEventHandlers = {
  [K in StreamLifecycleEventType]?: PartitionEventListener<K>;
};

/** Counters of a partitioned stream: the sum, and each partition's own. */
export interface PartitionedStreamStats {
  /**
   * The sum over the partitions. `duplicates` includes messages dropped
   * because another partition had delivered them, and `delivered` counts
   * what reached the consumer.
   */
  total: StreamStats;
  /** Each partition's own counters (its connection's `stream.stats`). */
  partitions: Record<number, StreamStats>;
}

/** Which partition ended the stream, and with what error. */
export interface PartitionFailure {
  partition: number;
  error: BirdstreamError;
}

/** How `client.partitions()` makes a `PartitionedStream`. */
export interface PartitionedStreamInit<R> {
  /** One self-healing stream per partition, by partition number. */
  streams: ReadonlyMap<number, EndpointStream<R>>;
  /** The endpoint row's dedupe key. */
  dedupeKey(message: unknown): string | undefined;
  /** The cross-partition dedupe memory; `undefined` turns it off. */
  dedupe: DedupeSettings | undefined;
  /** The clock the dedupe memory ages keys by. @default systemClock */
  clock?: Clock;
  on?: PartitionEventHandlers | undefined;
}

type Settled<R> =
  | { partition: number; result: IteratorResult<R> }
  | { partition: number; error: unknown };

/**
 * Several partitions of one stream as ONE `for await` stream. Each
 * partition is its own `EndpointStream`: its own connection, reconnects, stall
 * watchdog, backfill and dedupe. The merged stream interleaves their
 * messages as they arrive (at most one message per partition waits for the
 * consumer, so backpressure reaches every socket) and drops a message whose
 * dedupe key another partition already delivered.
 *
 * **The failure rule.** A partition that ends with an error (a fatal API
 * error, or `maxRetries` used up) ends the whole stream: every other
 * partition is closed, the loop throws that partition's own typed error
 * (so `isApiError()` and the other guards still work), `failure` names
 * the partition, and its `error` and `closed` events carry `partition`.
 * A partition that ends quietly (a recovery window replayed to its end)
 * leaves the others running; the loop ends when all have ended.
 * `close()`, `signal` or `break` closes every partition's connection.
 *
 * @example
 * ```ts
 * const firehose = client.partitions('firehose', { partitions: 'all' }, { backfill: 'auto' });
 * firehose.on('reconnecting', (e) => console.warn(`partition ${e.partition} reconnecting`));
 * for await (const { data } of firehose) console.log(data.id);
 * ```
 */
export class PartitionedStream<R> implements AsyncIterable<R> {
  /** The partitions this stream connects to, ascending. */
  readonly partitions: readonly number[];
  readonly #streams: ReadonlyMap<number, EndpointStream<R>>;
  readonly #dedupeKey: (message: unknown) => string | undefined;
  readonly #dedupe: PostDedupe | undefined;
  readonly #clock: Clock;
  /** The stream's own events (across partitions): `duplicate` and `dedupe-overflow`. */
  readonly #own = new TypedEmitter<OwnEvent>();
  /** The partition whose item is being checked against the cross-partition memory. */
  #checking = 0;
  #crossDuplicates = 0;
  #failure: PartitionFailure | undefined;
  #consumed = false;
  #closed = false;

  constructor(init: PartitionedStreamInit<R>) {
    this.#streams = init.streams;
    this.partitions = [...init.streams.keys()].sort((a, b) => a - b);
    this.#dedupeKey = init.dedupeKey;
    this.#clock = init.clock ?? systemClock;
    this.#dedupe = createPostDedupe(init.dedupe, this.#clock, (overflow) =>
      this.#emitOverflow(overflow),
    );
    for (const [type, handler] of Object.entries(init.on ?? {})) {
      if (typeof handler === 'function') {
        this.on(
          type as StreamLifecycleEventType,
          handler as PartitionEventListener<StreamLifecycleEventType>,
        );
      }
    }
  }

  /** The cross-partition memory overflowed: reported with the partition whose item found it full. */
  #emitOverflow(overflow: DedupeOverflow): void {
    this.#own.emit({
      type: 'dedupe-overflow',
      ...overflow,
      partition: this.#checking,
    });
  }

  /**
   * Listens to one lifecycle event type of every partition; each event
   * carries its `partition`. Returns a function that removes the listener.
   */
  on<K extends StreamLifecycleEventType>(type: K, listener: PartitionEventListener<K>): () => void {
    const offs = [...this.#streams].map(([partition, stream]) =>
      stream.on(type, (event) => listener({ ...event, partition })),
    );
    if (type === 'duplicate' || type === 'dedupe-overflow') {
      offs.push(this.#own.on(type, listener as unknown as (event: OwnEvent) => void));
    }
    return () => {
      for (const off of offs) off();
    };
  }

  /** A snapshot of the counters: the total and each partition's. */
  get stats(): PartitionedStreamStats {
    const partitions: Record<number, StreamStats> = {};
    const total = emptyStats();
    for (const [partition, stream] of this.#streams) {
      const stats = stream.stats;
      partitions[partition] = stats;
      total.received += stats.received;
      total.delivered += stats.delivered;
      total.duplicates += stats.duplicates;
      total.reconnects += stats.reconnects;
      total.keepAlives += stats.keepAlives;
      total.invalid += stats.invalid;
      total.unrecognized += stats.unrecognized;
      total.bytes += stats.bytes;
      if (stats.lastByteAt !== undefined) {
        total.lastByteAt = Math.max(total.lastByteAt ?? stats.lastByteAt, stats.lastByteAt);
      }
    }
    total.duplicates += this.#crossDuplicates;
    total.delivered -= this.#crossDuplicates;
    return { total, partitions };
  }

  /** The partition whose error ended the stream, once one did. */
  get failure(): PartitionFailure | undefined {
    return this.#failure;
  }

  /** True once the stream was closed or ended. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Closes every partition's connection and back-off wait; the loop ends quietly. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#streams.values()].map((stream) => stream.close()));
  }

  [Symbol.asyncIterator](): AsyncIterator<R> {
    if (this.#consumed) {
      throw new ConfigError(
        'This partitioned stream is already being consumed: it can be iterated once. Read it in one loop and hand the messages to several consumers from there.',
      );
    }
    this.#consumed = true;
    return this.#merge();
  }

  /**
   * The messages as a `ReadableStream` that pulls one message per read, so
   * backpressure reaches the sockets. Cancelling it closes every partition.
   */
  toReadableStream(): ReadableStream<R> {
    return readableFromIterable(this);
  }

  async *#merge(): AsyncGenerator<R, void> {
    const pending = new Map<number, Promise<Settled<R>>>();
    const iterators = new Map<number, AsyncIterator<R>>();
    const pull = (partition: number) => {
      const iterator = iterators.get(partition);
      if (iterator === undefined) return;
      pending.set(
        partition,
        iterator.next().then(
          (result) => ({ partition, result }),
          (error: unknown) => ({ partition, error }),
        ),
      );
    };
    try {
      for (const [partition, stream] of this.#streams) {
        iterators.set(partition, stream[Symbol.asyncIterator]());
        pull(partition);
      }
      while (pending.size > 0 && !this.#closed) {
        const settled = await Promise.race(pending.values());
        pending.delete(settled.partition);
        if ('error' in settled) {
          this.#failure = { partition: settled.partition, error: settled.error as BirdstreamError };
          throw settled.error;
        }
        if (settled.result.done) continue;
        const message = settled.result.value;
        const key = this.#dedupe === undefined ? undefined : this.#dedupeKey(message);
        this.#checking = settled.partition;
        if (key !== undefined && this.#dedupe?.seen(key, this.#clock.now())) {
          this.#crossDuplicates++;
          this.#own.emit({
            type: 'duplicate',
            id: key,
            partition: settled.partition,
          });
          pull(settled.partition);
          continue;
        }
        yield message;
        pull(settled.partition);
      }
    } finally {
      await this.close();
    }
  }
}
