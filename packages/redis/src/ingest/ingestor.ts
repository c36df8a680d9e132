import {
  type Clock,
  ConfigError,
  type EndpointStream,
  type StreamClient,
  type StreamEndpointName,
  type StreamLifecycleEventType,
  type StreamOptions,
  systemClock,
  type TimerHandle,
} from '@birdstream/core';
import { backfillMinutesFor } from '@birdstream/core/internal';
import type { Redis } from 'ioredis';
import { isLeaseLostError } from '../errors.js';
import type { LeaseTiming } from '../lease/lease-timing.js';
import { type HeldLease, type LeaseEndReason, PartitionLeases } from '../lease/partition-leases.js';
import { RedisStreamSink, type RedisStreamSinkOptions } from '../sink/redis-stream-sink.js';
import type { StreamSink } from '../sink/stream-sink.js';
import type { IngestEvent, IngestEventOf, IngestEventType } from './ingest-events.js';

/** X keeps 5 minutes for `backfill_minutes`. */
const BACKFILL_WINDOW_MS = 5 * 60_000;

/** Options of `Ingestor`. */
export interface IngestorOptions<T> extends LeaseTiming {
  /** The client that opens the partitions' connections. */
  client: StreamClient;
  /** The partitioned endpoint, e.g. `'firehose'` or `'sample10'`. */
  endpoint: StreamEndpointName;
  /** The partitions shared among all workers of this endpoint, e.g. 1 to 20. */
  partitions: readonly number[];
  /** An ioredis connection for leases and writes (not closed by `close()`). */
  redis: Redis;
  /** Request parameters besides `partition` (fields, expansions). @default {} */
  params?: object;
  /**
   * Options of each partition's stream. `stallTimeoutMs` also enters the
   * lease timing rule.
   * @default { backfill: 'auto' }
   */
  streamOptions?: Omit<StreamOptions, 'signal' | 'on'>;
  /** Where messages go: sink options (a `RedisStreamSink` on `redis`), or any `StreamSink`. @default {} */
  sink?: Omit<RedisStreamSinkOptions<T>, 'redis' | 'endpoint' | 'clock'> | StreamSink<T>;
  /** This worker's name in leases and events. @default `${hostname}:${pid}:${random}` */
  owner?: string;
  /** First part of the lease keys (and of the default stream key). @default 'birdstream' */
  prefix?: string;
  /** How often `progress` events are emitted per partition, in ms. @default 1_000 */
  progressIntervalMs?: number;
  /** Writes of one partition awaiting Redis before reading pauses (backpressure). @default 5_000 */
  maxPendingWrites?: number;
  /** @default systemClock */
  clock?: Clock;
}

/** A partition this worker reads. */
interface Run {
  lease: HeldLease;
  stream: EndpointStream<unknown>;
  loop: Promise<void>;
  pending: Set<Promise<unknown>>;
  received: number;
  receivedAtLastProgress: number;
  lastProgressAt: number;
  lastCreatedAt: number | undefined;
  written: number;
  duplicates: number;
}

/** Lifecycle events forwarded from each partition's stream. */
const FORWARDED: StreamLifecycleEventType[] = [
  'connected',
  'reconnecting',
  'backfill',
  'stalled',
  'disconnected',
  'payload-invalid',
  'error',
];

function isSink<T>(value: unknown): value is StreamSink<T> {
  return typeof (value as StreamSink<T> | undefined)?.write === 'function';
}

/**
 * One ingest worker: claims a share of an endpoint's partitions (leases in
 * Redis, balanced across live workers), opens one connection per owned
 * partition, and writes every message to the sink exactly once by identity,
 * fenced by the partition's lease. On takeover it asks for backfill sized
 * from the partition's last delivered time. Run one per process, on as many
 * machines as you like.
 *
 * @example
 * ```ts
 * const ingestor = new Ingestor({ client, endpoint: 'firehose', partitions: range(1, 20), redis });
 * ingestor.on('progress', (e) => console.error(e.partition, e.postsPerSecond));
 * await ingestor.start();
 * process.on('SIGTERM', () => void ingestor.close());
 * ```
 */
export class Ingestor<T = unknown> {
  readonly owner: string;
  readonly #options: IngestorOptions<T>;
  readonly #leases: PartitionLeases;
  readonly #sink: StreamSink<T>;
  readonly #ownsSink: boolean;
  readonly #clock: Clock;
  readonly #runs = new Map<number, Run>();
  /** Leases whose start is still awaiting Redis; `#stop` removes one to cancel its start. */
  readonly #starting = new Map<number, HeldLease>();
  readonly #listeners = new Map<IngestEventType, Set<(event: IngestEvent) => void>>();
  readonly #progressIntervalMs: number;
  readonly #maxPending: number;
  #progressTimer: TimerHandle | undefined;
  #closed = false;

  constructor(options: IngestorOptions<T>) {
    if (!options?.client) throw new ConfigError('Ingestor needs { client }: a StreamClient.');
    if (!options.redis) throw new ConfigError('Ingestor needs { redis }: an ioredis connection.');
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#progressIntervalMs = options.progressIntervalMs ?? 1_000;
    this.#maxPending = options.maxPendingWrites ?? 5_000;
    if (isSink<T>(options.sink)) {
      this.#sink = options.sink;
      this.#ownsSink = false;
    } else {
      this.#sink = new RedisStreamSink<T>({
        ...(options.sink ?? {}),
        ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
        redis: options.redis,
        endpoint: options.endpoint,
        clock: this.#clock,
      });
      this.#ownsSink = true;
    }
    this.#leases = new PartitionLeases({
      redis: options.redis,
      endpoint: options.endpoint,
      partitions: options.partitions,
      ...(options.owner !== undefined ? { owner: options.owner } : {}),
      ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
      ...(options.leaseTtlMs !== undefined ? { leaseTtlMs: options.leaseTtlMs } : {}),
      ...(options.renewIntervalMs !== undefined
        ? { renewIntervalMs: options.renewIntervalMs }
        : {}),
      stallTimeoutMs: options.streamOptions?.stallTimeoutMs ?? options.stallTimeoutMs ?? 30_000,
      clock: this.#clock,
      worker: {
        start: (lease) => this.#start(lease),
        stop: (lease, reason) => this.#stop(lease, reason),
      },
      onError: (error) => this.#emit({ type: 'error', error: error as Error }),
      onBalance: (live, target, held) => this.#emit({ type: 'balance', live, target, held }),
    });
    this.owner = this.#leases.owner;
  }

  /** The sink messages are written to. */
  get sink(): StreamSink<T> {
    return this.#sink;
  }

  /** The partitions this worker reads now. */
  get partitions(): number[] {
    return this.#leases.held;
  }

  /** Listens to one event type; returns a function that removes the listener. */
  on<K extends IngestEventType>(type: K, listener: (event: IngestEventOf<K>) => void): () => void {
    let set = this.#listeners.get(type);
    if (!set) {
      set = new Set();
      this.#listeners.set(type, set);
    }
    const l = listener as (event: IngestEvent) => void;
    set.add(l);
    return () => set.delete(l);
  }

  /** Claims this worker's share of the partitions and starts reading them; resolves after the first round. */
  async start(): Promise<void> {
    await this.#leases.start();
    this.#scheduleProgress();
  }

  /**
   * Closes every partition's connection, waits for their writes, releases
   * the leases (so other workers take over at once) and flushes the sink.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#progressTimer !== undefined) this.#clock.clearTimeout(this.#progressTimer);
    await this.#leases.close();
    if (this.#ownsSink) await this.#sink.close();
  }

  #emit(event: IngestEvent): void {
    for (const listener of this.#listeners.get(event.type) ?? []) {
      try {
        listener(event);
      } catch {
        // A listener's failure must not stop ingest.
      }
    }
  }

  async #start(lease: HeldLease): Promise<void> {
    const { partition } = lease;
    this.#emit({ type: 'claimed', partition, owner: this.owner, token: lease.token });
    this.#starting.set(partition, lease);
    let last: number | undefined;
    try {
      last = await this.#sink.openPartition(partition, this.#clock.now());
    } catch (error) {
      if (this.#starting.get(partition) === lease) this.#starting.delete(partition);
      throw error;
    }
    // Stopped (lost, expiring) while this awaited Redis: never open the connection.
    if (this.#starting.get(partition) !== lease) return;
    this.#starting.delete(partition);
    const params: Record<string, unknown> = { ...(this.#options.params ?? {}), partition };
    if (last !== undefined) {
      const outageMs = Math.max(0, this.#clock.now() - last);
      const minutes = backfillMinutesFor(outageMs);
      params.backfill_minutes = minutes;
      this.#emit({
        type: 'takeover-backfill',
        partition,
        minutes,
        outageMs,
        exceedsWindow: outageMs > BACKFILL_WINDOW_MS,
      });
    }
    const stream = this.#options.client.stream<unknown>(this.#options.endpoint, params, {
      backfill: 'auto',
      ...(this.#options.streamOptions ?? {}),
      stallTimeoutMs: this.#leases.timing.stallTimeoutMs,
    });
    for (const type of FORWARDED) {
      stream.on(type, (event) => this.#emit({ type: 'stream', partition, event }));
    }
    const run: Run = {
      lease,
      stream,
      loop: Promise.resolve(),
      pending: new Set(),
      received: 0,
      receivedAtLastProgress: 0,
      lastProgressAt: this.#clock.now(),
      lastCreatedAt: undefined,
      written: 0,
      duplicates: 0,
    };
    this.#runs.set(partition, run);
    run.loop = this.#read(run);
  }

  async #read(run: Run): Promise<void> {
    const { partition, fence } = run.lease;
    try {
      for await (const message of run.stream) {
        run.received++;
        const createdAt = Date.parse(
          (message as { data?: { created_at?: string } }).data?.created_at ?? '',
        );
        if (!Number.isNaN(createdAt)) run.lastCreatedAt = createdAt;
        const write: Promise<unknown> = this.#sink
          .write(message as T, { partition, fence })
          .then(
            (outcome) => {
              if (outcome === 'written') run.written++;
              else run.duplicates++;
            },
            (error: unknown) => {
              if (isLeaseLostError(error)) void this.#leases.lost(partition);
              else this.#emit({ type: 'error', partition, error: error as Error });
            },
          )
          .finally(() => run.pending.delete(write));
        run.pending.add(write);
        if (run.pending.size >= this.#maxPending) await Promise.race(run.pending);
      }
    } catch (error) {
      // The stream ended with a fatal error: give the partition up so a later round retries it.
      this.#emit({ type: 'error', partition, error: error as Error });
      if (this.#runs.get(partition) === run) void this.#leases.lost(partition);
    }
  }

  async #stop(lease: HeldLease, reason: LeaseEndReason): Promise<void> {
    if (this.#starting.get(lease.partition)?.token === lease.token) {
      this.#starting.delete(lease.partition);
      this.#emit({ type: 'stopped', partition: lease.partition, reason });
      return;
    }
    const run = this.#runs.get(lease.partition);
    if (!run || run.lease.token !== lease.token) return;
    this.#runs.delete(lease.partition);
    await run.stream.close();
    await run.loop;
    // A clean hand-over waits for the writes, so the last delivered time is current.
    if (reason === 'released') await Promise.allSettled([...run.pending]);
    this.#emit({ type: 'stopped', partition: lease.partition, reason });
  }

  #scheduleProgress(): void {
    if (this.#closed) return;
    this.#progressTimer = this.#clock.setTimeout(() => {
      const now = this.#clock.now();
      for (const [partition, run] of this.#runs) {
        const seconds = Math.max(0.001, (now - run.lastProgressAt) / 1000);
        this.#emit({
          type: 'progress',
          partition,
          owner: this.owner,
          postsPerSecond: (run.received - run.receivedAtLastProgress) / seconds,
          lagMs: run.lastCreatedAt === undefined ? undefined : now - run.lastCreatedAt,
          reconnects: run.stream.stats.reconnects,
          written: run.written,
          duplicates: run.duplicates,
        });
        run.receivedAtLastProgress = run.received;
        run.lastProgressAt = now;
      }
      this.#scheduleProgress();
    }, this.#progressIntervalMs);
  }
}
