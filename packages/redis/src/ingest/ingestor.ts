import {
  type Clock,
  ConfigError,
  type EndpointStream,
  itemTime,
  STREAM_ENDPOINT_TABLE,
  type StreamClient,
  type StreamEndpointName,
  type StreamLifecycleEvent,
  type StreamLifecycleEventType,
  type StreamOptions,
  systemClock,
  type TimerHandle,
} from '@birdstream/core';
import { RECOVERY_MARGIN_MS } from '@birdstream/core/internal';
import type { Redis } from 'ioredis';
import { isLeaseLostError } from '../errors.js';
import type { LeaseTiming } from '../lease/lease-timing.js';
import { type HeldLease, type LeaseEndReason, PartitionLeases } from '../lease/partition-leases.js';
import { RedisStreamSink, type RedisStreamSinkOptions } from '../sink/redis-stream-sink.js';
import type { StreamSink, WriteOutcome } from '../sink/stream-sink.js';
import type { IngestEvent, IngestEventOf, IngestEventType } from './ingest-events.js';
import {
  addTotals,
  emptyTotals,
  type IngestorStats,
  type IngestTotals,
  type PartitionStats,
} from './ingest-stats.js';
import { type TakeoverPlan, takeoverPlan } from './takeover-plan.js';

/** Options of `Ingestor`. */
export interface IngestorOptions<T> extends LeaseTiming {
  /** The client that opens the partitions' connections. */
  client: StreamClient;
  /** The partitioned endpoint, e.g. `'firehose'` or `'sample10'`. */
  endpoint: StreamEndpointName;
  /** The partitions shared among all workers of this endpoint, e.g. 1 to 20. */
  partitions: readonly number[];
  /** An ioredis connection for the writes (not closed by `close()`). */
  redis: Redis;
  /**
   * The connection for leases and heartbeats. Leases have their own
   * connection so that a renewal never waits behind a backlog of large write
   * batches on the same socket (which made busy workers lose their leases).
   * @default `redis.duplicate()`, disconnected by `close()`
   */
  leaseRedis?: Redis;
  /** Request parameters besides `partition` (fields, expansions). @default {} */
  params?: object;
  /**
   * Options of each partition's stream. `stallTimeoutMs` also enters the
   * lease timing rule. `recoverGaps: false` turns off the recovery of a
   * takeover gap beyond 5 minutes; `resumeFrom` is the ingestor's own.
   * @default { backfill: 'auto', recoverGaps: true } (recovery where the endpoint has it)
   */
  streamOptions?: Omit<StreamOptions, 'signal' | 'on' | 'resumeFrom'>;
  /** Where messages go: sink options (a `RedisStreamSink` on `redis`), or any `StreamSink`. @default {} */
  sink?: Omit<RedisStreamSinkOptions<T>, 'redis' | 'endpoint' | 'clock'> | StreamSink<T>;
  /** This worker's name in leases and events. @default `${hostname}:${pid}:${random}` */
  owner?: string;
  /** First part of the lease keys (and of the default stream key). @default 'birdstream' */
  prefix?: string;
  /** How often `progress` events are emitted per partition (and lag is checked), in ms. @default 1_000 */
  progressIntervalMs?: number;
  /** Writes of one partition awaiting Redis before reading pauses (backpressure). @default 5_000 */
  maxPendingWrites?: number;
  /**
   * Lag above which a partition is `falling-behind` (the age of the newest
   * post received or written, or how long a takeover replay has run); it is
   * `caught-up` below half of it. Beyond the lease TTL, a takeover after this
   * worker died would replay more than a lease's worth.
   * @default leaseTtlMs
   */
  maxLagMs?: number;
  /** @default systemClock */
  clock?: Clock;
}

/** A partition this worker reads. */
interface Run {
  lease: HeldLease;
  stream: EndpointStream<unknown>;
  loop: Promise<void>;
  /** The partition's record on this worker (shared with `#history`). */
  totals: IngestTotals;
  claimedAt: number;
  pending: number;
  /** Resolved when `pending` falls to `resumeAt` (backpressure) or 0 (hand-over). */
  waiters: { below: number; resolve: () => void }[];
  received: number;
  written: number;
  duplicates: number;
  newestReceivedAt: number | undefined;
  newestWrittenAt: number | undefined;
  last: { at: number; received: number; written: number; duplicates: number };
  /** Set while the first connection replays the takeover gap (until a post created after the claim). */
  replay: { minutes: number; previousOwner: string | undefined } | undefined;
  behindSince: number | undefined;
  /**
   * Recovery windows not yet replayed (`start-end` → the time before which
   * the partition is incomplete until it is): while any runs, posts written
   * do not move the partition's anchor past it (the live connection is ahead
   * of the gap a recovery is still filling).
   */
  recovering: Map<string, number>;
  /** The anchor cap while `recovering` is not empty. */
  cap: number | undefined;
}

interface Lag {
  lagMs: number | undefined;
  writeLagMs: number | undefined;
}

interface History {
  totals: IngestTotals;
  claimedAt: number;
  previousOwner: string | undefined;
}

/** Lifecycle events forwarded from each partition's stream. */
const FORWARDED: StreamLifecycleEventType[] = [
  'connected',
  'reconnecting',
  'backfill',
  'recovery',
  'stalled',
  'disconnected',
  'payload-invalid',
  'error',
];

function isSink<T>(value: unknown): value is StreamSink<T> {
  return typeof (value as StreamSink<T> | undefined)?.write === 'function';
}

const minutesOf = (ms: number) => Math.ceil(Math.max(0, ms) / 60_000);

/**
 * One ingest worker: claims a share of an endpoint's partitions (leases in
 * Redis, balanced across live workers), opens one connection per owned
 * partition, and writes every message to the sink exactly once by identity,
 * fenced by the partition's lease. On takeover it continues from the newest
 * post the partition has in Redis: backfill up to 5 minutes, core's gap
 * recovery beyond. Run one per process, on as many machines as you like.
 *
 * @example
 * ```ts
 * const ingestor = new Ingestor({ client, endpoint: 'firehose', partitions: range(1, 20), redis });
 * ingestor.on('progress', (e) => console.error(e.partition, e.postsPerSecond));
 * ingestor.on('falling-behind', (e) => console.error(`p${e.partition} is ${e.lagMs} ms behind`));
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
  /** The lease connection when this ingestor created it (disconnected by `close()`). */
  readonly #ownLeaseRedis: Redis | undefined;
  readonly #clock: Clock;
  readonly #runs = new Map<number, Run>();
  readonly #history = new Map<number, History>();
  /** Leases whose start is still awaiting Redis; `#stop` removes one to cancel its start. */
  readonly #starting = new Map<number, HeldLease>();
  readonly #listeners = new Map<IngestEventType, Set<(event: IngestEvent) => void>>();
  readonly #progressIntervalMs: number;
  readonly #maxPending: number;
  readonly #maxLagMs: number;
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
    let leaseRedis = options.leaseRedis;
    if (leaseRedis === undefined) {
      leaseRedis = options.redis.duplicate();
      // Failures surface as rejected commands (reported as `error` events); ioredis would print them.
      leaseRedis.on('error', () => {});
      this.#ownLeaseRedis = leaseRedis;
    }
    this.#leases = new PartitionLeases({
      redis: leaseRedis,
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
    this.#maxLagMs = options.maxLagMs ?? this.#leases.timing.leaseTtlMs;
    if (!(this.#maxLagMs > 0)) {
      throw new ConfigError(
        `maxLagMs must be a positive number of ms, got ${String(options.maxLagMs)}.`,
      );
    }
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
   * `stats()` still answers afterwards (the final summary).
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#progressTimer !== undefined) this.#clock.clearTimeout(this.#progressTimer);
    try {
      await this.#leases.close();
      if (this.#ownsSink) await this.#sink.close();
    } finally {
      this.#ownLeaseRedis?.disconnect();
    }
  }

  /**
   * A snapshot of this worker and of every partition it has held: lease,
   * counts, lag, backfill. For metrics (see the README's "Metrics").
   */
  stats(): IngestorStats {
    const now = this.#clock.now();
    const leases = new Map(this.#leases.status().map((s) => [s.partition, s]));
    const partitions: PartitionStats[] = [];
    const totals = emptyTotals();
    for (const partition of [...this.#history.keys()].sort((a, b) => a - b)) {
      const history = this.#history.get(partition)!;
      const run = this.#runs.get(partition);
      const lease = leases.get(partition);
      const lag = run ? this.#lag(run, now) : undefined;
      partitions.push({
        partition,
        ...history.totals,
        held: run !== undefined,
        lease: lease && {
          token: lease.token,
          renewedAt: lease.renewedAt,
          expiresAt: lease.expiresAt,
        },
        claimedAt: history.claimedAt,
        previousOwner: history.previousOwner,
        lagMs: lag?.lagMs,
        writeLagMs: lag?.writeLagMs,
        pendingWrites: run?.pending ?? 0,
        behind: run?.behindSince !== undefined,
        replaying: run?.replay !== undefined,
        recovering: run?.recovering.size ?? 0,
      });
      addTotals(totals, history.totals);
    }
    const balance = this.#leases.balance;
    return {
      owner: this.owner,
      liveWorkers: balance?.live,
      target: balance?.target,
      held: this.#leases.held,
      partitions,
      totals,
    };
  }

  #emit(event: IngestEvent): void {
    const listeners = this.#listeners.get(event.type);
    if (listeners === undefined) return;
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure must not stop ingest.
      }
    }
  }

  #partitionStats(partition: number): PartitionStats {
    return this.stats().partitions.find((p) => p.partition === partition)!;
  }

  async #start(lease: HeldLease): Promise<void> {
    const { partition, previousOwner } = lease;
    const claimedAt = this.#clock.now();
    let history = this.#history.get(partition);
    if (!history) {
      history = { totals: emptyTotals(), claimedAt, previousOwner };
      this.#history.set(partition, history);
    }
    history.claimedAt = claimedAt;
    history.previousOwner = previousOwner;
    history.totals.claims++;
    this.#emit({
      type: 'claimed',
      partition,
      owner: this.owner,
      token: lease.token,
      previousOwner,
    });
    this.#starting.set(partition, lease);
    let last: number | undefined;
    try {
      last = await this.#sink.openPartition(partition, claimedAt);
    } catch (error) {
      if (this.#starting.get(partition) === lease) this.#starting.delete(partition);
      throw error;
    }
    // Stopped (lost, expiring) while this awaited Redis: never open the connection.
    if (this.#starting.get(partition) !== lease) return;
    this.#starting.delete(partition);
    const { endpoint } = this.#options;
    const row = STREAM_ENDPOINT_TABLE[endpoint];
    const userOptions = this.#options.streamOptions ?? {};
    const recoverGaps = row.recovery && (userOptions.recoverGaps ?? true);
    const now = this.#clock.now();
    let plan: TakeoverPlan | undefined;
    if (last !== undefined) {
      plan = takeoverPlan(endpoint, last, now, recoverGaps);
      history.totals.takeovers++;
      this.#emit({
        type: 'takeover-backfill',
        partition,
        minutes: plan.backfillMinutes,
        outageMs: plan.outageMs,
        exceedsWindow: plan.exceedsWindow,
        anchor: plan.anchor,
        recovery: plan.recovery,
        previousOwner,
      });
      if (plan.unrecoverable) {
        this.#unrecoverable(partition, plan.unrecoverable, 'no-recovery', history.totals);
      }
    }
    const params: Record<string, unknown> = { ...(this.#options.params ?? {}), partition };
    const stream = this.#options.client.stream<unknown>(endpoint, params, {
      backfill: row.backfill ? 'auto' : false,
      ...userOptions,
      recoverGaps,
      stallTimeoutMs: this.#leases.timing.stallTimeoutMs,
      ...(plan ? { resumeFrom: plan.anchor } : {}),
    });
    const run: Run = {
      lease,
      stream,
      loop: Promise.resolve(),
      totals: history.totals,
      claimedAt: now,
      pending: 0,
      waiters: [],
      received: 0,
      written: 0,
      duplicates: 0,
      newestReceivedAt: undefined,
      // Nothing written yet counts from the claim (or from the newest post already in Redis).
      newestWrittenAt: last ?? now,
      last: { at: now, received: 0, written: 0, duplicates: 0 },
      replay: plan ? { minutes: minutesOf(plan.outageMs), previousOwner } : undefined,
      behindSince: undefined,
      recovering: new Map(),
      cap: undefined,
    };
    for (const type of FORWARDED) {
      stream.on(type, (event) => this.#onStreamEvent(partition, run, event));
    }
    this.#runs.set(partition, run);
    run.loop = this.#read(run);
  }

  #onStreamEvent(partition: number, run: Run, event: StreamLifecycleEvent): void {
    const totals = run.totals;
    if (event.type === 'reconnecting') totals.reconnects++;
    else if (event.type === 'backfill') totals.backfillMinutes += event.minutes;
    else if (event.type === 'recovery') {
      const key = `${event.startTime}-${event.endTime}`;
      if (event.phase === 'started' || event.phase === 'scheduled') {
        run.recovering.set(key, event.startTime + RECOVERY_MARGIN_MS);
      } else run.recovering.delete(key);
      run.cap = run.recovering.size === 0 ? undefined : Math.min(...run.recovering.values());
      if (event.phase === 'completed') {
        totals.recoveredMinutes += minutesOf(event.endTime - event.startTime);
      } else if (event.phase === 'unrecoverable' || event.phase === 'failed') {
        this.#unrecoverable(
          partition,
          event,
          event.phase === 'failed' ? 'recovery-failed' : 'older-than-24h',
          totals,
        );
      }
    }
    this.#emit({ type: 'stream', partition, event });
  }

  #unrecoverable(
    partition: number,
    window: { startTime: number; endTime: number },
    reason: IngestEventOf<'unrecoverable'>['reason'],
    totals: IngestTotals,
  ): void {
    const minutes = minutesOf(window.endTime - window.startTime);
    totals.unrecoverableMinutes += minutes;
    this.#emit({
      type: 'unrecoverable',
      partition,
      startTime: window.startTime,
      endTime: window.endTime,
      minutes,
      reason,
    });
  }

  async #read(run: Run): Promise<void> {
    const { partition, fence } = run.lease;
    const clock = this.#clock;
    const sink = this.#sink;
    const settle = (outcome: WriteOutcome, at: number) => {
      if (outcome === 'written') {
        run.written++;
        run.totals.written++;
      } else {
        run.duplicates++;
        run.totals.duplicates++;
      }
      if (run.newestWrittenAt === undefined || at > run.newestWrittenAt) run.newestWrittenAt = at;
      this.#settled(run);
    };
    const fail = (error: unknown) => {
      this.#settled(run);
      if (isLeaseLostError(error)) void this.#leases.lost(partition);
      else this.#emit({ type: 'error', partition, error: error as Error });
    };
    try {
      for await (const message of run.stream) {
        run.received++;
        run.totals.received++;
        const at = itemTime(message) ?? clock.now();
        if (run.newestReceivedAt === undefined || at > run.newestReceivedAt) {
          run.newestReceivedAt = at;
        }
        // The replay has caught up once a post created after the claim arrives.
        if (run.replay !== undefined && at >= run.claimedAt) run.replay = undefined;
        run.pending++;
        const itemAt = run.cap === undefined ? at : Math.min(at, run.cap);
        sink
          .write(message as T, { partition, fence, itemAt })
          .then((outcome) => settle(outcome, at), fail);
        if (run.pending >= this.#maxPending) await this.#drain(run, this.#maxPending / 2);
      }
    } catch (error) {
      // The stream ended with a fatal error: give the partition up so a later round retries it.
      this.#emit({ type: 'error', partition, error: error as Error });
      if (this.#runs.get(partition) === run) void this.#leases.lost(partition);
    }
  }

  #settled(run: Run): void {
    run.pending--;
    if (run.waiters.length === 0) return;
    const ready = run.waiters.filter((w) => run.pending <= w.below);
    if (ready.length === 0) return;
    run.waiters = run.waiters.filter((w) => run.pending > w.below);
    for (const w of ready) w.resolve();
  }

  /** Resolves once at most `below` writes of `run` await Redis. */
  #drain(run: Run, below: number): Promise<void> {
    if (run.pending <= below) return Promise.resolve();
    return new Promise((resolve) => run.waiters.push({ below, resolve }));
  }

  async #stop(lease: HeldLease, reason: LeaseEndReason): Promise<void> {
    const history = this.#history.get(lease.partition);
    if (this.#starting.get(lease.partition)?.token === lease.token) {
      this.#starting.delete(lease.partition);
      if (history && reason !== 'released') history.totals.lost++;
      this.#emit({
        type: 'stopped',
        partition: lease.partition,
        reason,
        stats: this.#partitionStats(lease.partition),
      });
      return;
    }
    const run = this.#runs.get(lease.partition);
    if (!run || run.lease.token !== lease.token) return;
    // Final figures before the run leaves `#runs`.
    const snapshot = () => ({ ...this.#partitionStats(lease.partition) });
    await run.stream.close();
    // A read loop paused for room (backpressure) ends now: its stream is closed.
    for (const waiter of run.waiters.splice(0)) waiter.resolve();
    await run.loop;
    // A clean hand-over waits for the writes, so the partition's anchor is current.
    if (reason === 'released') await this.#drain(run, 0);
    if (reason !== 'released') run.totals.lost++;
    const stats = snapshot();
    this.#runs.delete(lease.partition);
    this.#emit({
      type: 'stopped',
      partition: lease.partition,
      reason,
      stats: { ...stats, held: false, lease: undefined },
    });
  }

  /** Lag of `run` at `now`; `undefined` lag while it is idle (nothing new, nothing waiting). */
  #lag(run: Run, now: number): Lag {
    const idle =
      run.received === run.last.received && run.pending === 0 && run.replay === undefined;
    const age = (t: number | undefined) => (t === undefined ? undefined : Math.max(0, now - t));
    if (idle) return { lagMs: undefined, writeLagMs: undefined };
    return { lagMs: age(run.newestReceivedAt), writeLagMs: age(run.newestWrittenAt) };
  }

  #checkBehind(partition: number, run: Run, now: number, lag: Lag): void {
    const threshold = this.#maxLagMs;
    const worst = Math.max(lag.lagMs ?? 0, lag.writeLagMs ?? 0);
    const replayFor = run.replay !== undefined ? now - run.claimedAt : 0;
    const reason = run.replay !== undefined ? 'replay' : 'lag';
    const behind = run.replay !== undefined ? replayFor > threshold : worst > threshold;
    if (run.behindSince === undefined) {
      if (!behind) return;
      run.behindSince = now;
      run.totals.fallingBehind++;
      this.#emit({
        type: 'falling-behind',
        partition,
        owner: this.owner,
        lagMs: lag.lagMs,
        writeLagMs: lag.writeLagMs,
        pendingWrites: run.pending,
        thresholdMs: threshold,
        reason,
      });
    } else if (run.replay === undefined && worst <= threshold / 2) {
      const behindForMs = now - run.behindSince;
      run.behindSince = undefined;
      this.#emit({
        type: 'caught-up',
        partition,
        owner: this.owner,
        lagMs: lag.lagMs,
        behindForMs,
      });
    }
  }

  #scheduleProgress(): void {
    if (this.#closed) return;
    this.#progressTimer = this.#clock.setTimeout(() => {
      const now = this.#clock.now();
      for (const [partition, run] of this.#runs) {
        const lag = this.#lag(run, now);
        this.#checkBehind(partition, run, now, lag);
        const seconds = Math.max(0.001, (now - run.last.at) / 1000);
        this.#emit({
          type: 'progress',
          partition,
          owner: this.owner,
          postsPerSecond: (run.received - run.last.received) / seconds,
          lagMs: lag.lagMs,
          writeLagMs: lag.writeLagMs,
          pendingWrites: run.pending,
          reconnects: run.stream.stats.reconnects,
          written: run.written,
          duplicates: run.duplicates,
          writtenInInterval: run.written - run.last.written,
          duplicatesInInterval: run.duplicates - run.last.duplicates,
          replaying: run.replay,
          behind: run.behindSince !== undefined,
          recovering: run.recovering.size,
        });
        run.last = {
          at: now,
          received: run.received,
          written: run.written,
          duplicates: run.duplicates,
        };
      }
      this.#scheduleProgress();
    }, this.#progressIntervalMs);
  }
}
