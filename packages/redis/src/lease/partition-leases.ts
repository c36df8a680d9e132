import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  type Clock,
  ConfigError,
  ConnectionError,
  systemClock,
  type TimerHandle,
} from '@birdstream/core';
import type { Redis } from 'ioredis';
import { DEFAULT_PREFIX, fenceKey, leaseKey, ownersKey, workersKey } from '../keys.js';
import { type BirdstreamCommands, commandsFor } from '../scripts/commands.js';
import type { Fence } from '../sink/stream-sink.js';
import { claimOrder, leaseTarget } from './balance.js';
import { type LeaseTiming, type ResolvedLeaseTiming, resolveLeaseTiming } from './lease-timing.js';

/** A lease this worker holds. */
export interface HeldLease {
  partition: number;
  /** The fencing token of this claim (grows with every claim of the partition). */
  token: number;
  /** What the sink checks before writing. */
  fence: Fence;
  /** The worker that held the partition before this claim, if another one ever did. */
  previousOwner?: string | undefined;
}

/** Timing of a lease this worker holds, on this worker's clock (epoch ms). */
export interface LeaseStatus {
  partition: number;
  token: number;
  /** When the last successful renewal (or the claim) was sent. */
  renewedAt: number;
  /** When the lease expires in Redis unless renewed: `renewedAt + leaseTtlMs`. */
  expiresAt: number;
  /** When this worker stops the partition unless renewed first: a renew interval before `expiresAt`. */
  stopsAt: number;
}

/** Why a partition stopped being ours. */
export type LeaseEndReason =
  /** Another worker holds it, or it expired (renew found it gone). */
  | 'lost'
  /** It could not be renewed in time (Redis unreachable): stopped before it expires. */
  | 'expiring'
  /** Given up for balance (more live workers) or on close; released after `stop`. */
  | 'released';

/** What the leases drive: start reading a partition, stop reading it. */
export interface PartitionWorker {
  /**
   * Called once a lease was claimed. The lease round does not wait for it,
   * so `stop` can be called before the promise it returns has settled.
   */
  start(lease: HeldLease): void | Promise<void>;
  /**
   * Must stop writing and close the partition's connection. For `'released'`
   * the lease is released once this resolves; otherwise it is already gone.
   */
  stop(lease: HeldLease, reason: LeaseEndReason): void | Promise<void>;
}

/** Options of `PartitionLeases`. */
export interface PartitionLeasesOptions extends LeaseTiming {
  /** An ioredis connection (not closed by `close()`). */
  redis: Redis;
  /** The endpoint whose partitions are leased, e.g. `'firehose'`. */
  endpoint: string;
  /** The partitions to share among the workers, e.g. `[1, 2, …, 20]`. */
  partitions: readonly number[];
  /** What is started and stopped per partition. */
  worker: PartitionWorker;
  /** This worker's name in leases and heartbeats. @default `${hostname}:${pid}:${random}` */
  owner?: string;
  /** First part of every key. @default 'birdstream' */
  prefix?: string;
  /** Drives renewals and deadlines. @default systemClock */
  clock?: Clock;
  /** Called with a Redis error a renewal round met (the round is retried next interval). */
  onError?: (error: unknown) => void;
  /** Called after each round with the live worker count and this worker's target. */
  onBalance?: (live: number, target: number, held: number) => void;
}

interface Held extends HeldLease {
  /** Clock time at which this worker stops the partition unless renewed. */
  deadline: number;
  /** Clock time the last successful renewal (or the claim) was sent. */
  renewedAt: number;
  timer: TimerHandle;
}

/**
 * Shares an endpoint's partitions among workers on any number of machines.
 * Each round (every `renewIntervalMs`) a worker renews its heartbeat and its
 * leases (compare-and-set in Lua), gives up partitions above its share
 * (`ceil(partitions / live workers)`) and claims free ones up to it with
 * `SET NX PX` and a new fencing token. A lease it cannot renew in time is
 * stopped a renew interval before it expires in Redis; a lease found taken
 * is stopped at once. `close()` stops and releases everything.
 */
export class PartitionLeases {
  readonly owner: string;
  readonly timing: ResolvedLeaseTiming;
  readonly #redis: Redis;
  readonly #commands: BirdstreamCommands;
  readonly #endpoint: string;
  readonly #partitions: readonly number[];
  readonly #worker: PartitionWorker;
  readonly #prefix: string;
  readonly #clock: Clock;
  readonly #onError: PartitionLeasesOptions['onError'];
  readonly #onBalance: PartitionLeasesOptions['onBalance'];
  readonly #held = new Map<number, Held>();
  #timer: TimerHandle | undefined;
  #round: Promise<void> | undefined;
  #balance: { live: number; target: number } | undefined;
  /** Releases for balance still stopping their partition. */
  readonly #releasing = new Set<Promise<void>>();
  #closed = false;

  constructor(options: PartitionLeasesOptions) {
    if (!options?.redis)
      throw new ConfigError('PartitionLeases needs { redis }: an ioredis connection.');
    const partitions = [...new Set(options.partitions)];
    if (partitions.length === 0 || partitions.some((p) => !Number.isInteger(p) || p < 1)) {
      throw new ConfigError(
        'partitions must be a non-empty list of whole numbers from 1, e.g. [1, 2, 3].',
      );
    }
    this.timing = resolveLeaseTiming(options);
    this.#redis = options.redis;
    this.#commands = commandsFor(options.redis);
    this.#endpoint = options.endpoint;
    this.#partitions = partitions.sort((a, b) => a - b);
    this.#worker = options.worker;
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.#prefix = options.prefix ?? DEFAULT_PREFIX;
    this.#clock = options.clock ?? systemClock;
    this.#onError = options.onError;
    this.#onBalance = options.onBalance;
  }

  /** The partitions this worker holds now. */
  get held(): number[] {
    return [...this.#held.keys()].sort((a, b) => a - b);
  }

  /** The live workers and this worker's share after the last round (`undefined` before the first). */
  get balance(): { live: number; target: number } | undefined {
    return this.#balance;
  }

  /** The timing of each lease this worker holds, by partition. */
  status(): LeaseStatus[] {
    const { leaseTtlMs } = this.timing;
    return [...this.#held.values()]
      .sort((a, b) => a.partition - b.partition)
      .map((h) => ({
        partition: h.partition,
        token: h.token,
        renewedAt: h.renewedAt,
        expiresAt: h.renewedAt + leaseTtlMs,
        stopsAt: h.deadline,
      }));
  }

  /** Runs the first round (claims what is free up to the share) and schedules the next ones. */
  async start(): Promise<void> {
    if (this.#closed) throw new ConfigError('These leases are closed: create new PartitionLeases.');
    await this.#runRound();
  }

  /**
   * Forgets `partition` because a write found its lease gone (fencing): stops
   * it with reason `'lost'`. The next rounds may claim it again when free.
   */
  async lost(partition: number): Promise<void> {
    const held = this.#held.get(partition);
    if (!held) return;
    this.#forget(held);
    await this.#stop(held, 'lost');
  }

  /** Stops every partition, releases its lease, and leaves the worker set. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    await Promise.all([
      ...[...this.#held.values()].map((held) => this.#release(held)),
      ...this.#releasing,
    ]);
    try {
      await this.#bounded(
        this.#commands.heartbeat(this.#workersKey, this.owner, this.timing.leaseTtlMs, false),
      );
    } catch (error) {
      this.#onError?.(error);
    }
  }

  get #workersKey(): string {
    return workersKey(this.#endpoint, this.#prefix);
  }

  /** Runs a round unless one is still running, and schedules the next one an interval later. */
  #runRound(): Promise<void> {
    if (!this.#closed && this.#timer === undefined) {
      this.#timer = this.#clock.setTimeout(() => {
        this.#timer = undefined;
        void this.#runRound();
      }, this.timing.renewIntervalMs);
    }
    this.#round ??= this.#roundOnce()
      .catch((error) => this.#onError?.(error))
      .finally(() => {
        this.#round = undefined;
      });
    return this.#round;
  }

  /**
   * `promise`, or a rejection once `leaseTtlMs - renewIntervalMs` passed (by
   * then the leases are stopped anyway): no round or close waits on a silent Redis.
   */
  #bounded<T>(promise: Promise<T>): Promise<T> {
    const limit = this.timing.leaseTtlMs - this.timing.renewIntervalMs;
    return new Promise<T>((resolve, reject) => {
      const timer = this.#clock.setTimeout(
        () =>
          reject(
            new ConnectionError(
              `Redis did not answer within ${limit} ms; check that it is reachable.`,
            ),
          ),
        limit,
      );
      promise.then(
        (value) => {
          this.#clock.clearTimeout(timer);
          resolve(value);
        },
        (error) => {
          this.#clock.clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  /** Calls the worker's `stop`, reporting a failure instead of throwing. */
  async #stop(held: HeldLease, reason: LeaseEndReason): Promise<void> {
    try {
      await this.#worker.stop(held, reason);
    } catch (error) {
      this.#onError?.(error);
    }
  }

  async #roundOnce(): Promise<void> {
    const { leaseTtlMs } = this.timing;
    const live = await this.#bounded(
      this.#commands.heartbeat(this.#workersKey, this.owner, leaseTtlMs, true),
    );
    await Promise.all([...this.#held.values()].map((held) => this.#renew(held)));
    if (this.#closed) return;
    const target = leaseTarget(this.#partitions.length, live);
    const extra = [...this.#held.values()].sort((a, b) => b.partition - a.partition);
    while (this.#held.size > target && !this.#closed) {
      const held = extra.shift();
      if (!held) break;
      // In the background: a stop that waits for a slow write backlog must not hold up the
      // round (and the renewal of every other lease). `close()` waits for it.
      const release = this.#release(held).finally(() => this.#releasing.delete(release));
      this.#releasing.add(release);
    }
    for (const partition of claimOrder(this.#partitions, this.owner)) {
      if (this.#held.size >= target || this.#closed) break;
      if (!this.#held.has(partition)) await this.#claim(partition);
    }
    this.#balance = { live, target };
    this.#onBalance?.(live, target, this.#held.size);
  }

  async #claim(partition: number): Promise<void> {
    const key = leaseKey(this.#endpoint, partition, this.#prefix);
    const sentAt = this.#clock.now();
    const claimed = await this.#bounded(
      this.#commands.claimLease(
        key,
        fenceKey(this.#endpoint, partition, this.#prefix),
        ownersKey(this.#endpoint, this.#prefix),
        this.owner,
        this.timing.leaseTtlMs,
        partition,
      ),
    );
    if (claimed === null || this.#closed) return;
    const [token, previous] = claimed;
    const held: Held = {
      partition,
      token: Number(token),
      fence: { key, value: `${token}:${this.owner}` },
      previousOwner: previous === '' ? undefined : String(previous),
      deadline: 0,
      renewedAt: sentAt,
      timer: undefined,
    };
    this.#held.set(partition, held);
    this.#arm(held, sentAt);
    // Not awaited: a start that waits for a slow write connection must not hold up the round
    // (and with it the renewal of every other lease). `stop` may come before `start` resolves.
    void this.#startWorker(held);
  }

  async #startWorker(held: Held): Promise<void> {
    try {
      await this.#worker.start({
        partition: held.partition,
        token: held.token,
        fence: held.fence,
        previousOwner: held.previousOwner,
      });
    } catch (error) {
      this.#onError?.(error);
      if (this.#held.get(held.partition) === held) await this.#release(held);
    }
  }

  async #renew(held: Held): Promise<void> {
    const sentAt = this.#clock.now();
    let renewed: number;
    try {
      renewed = await this.#bounded(
        this.#commands.renewLease(held.fence.key, held.fence.value, this.timing.leaseTtlMs),
      );
    } catch (error) {
      // Unreachable Redis: keep going until the deadline stops the partition.
      this.#onError?.(error);
      return;
    }
    if (this.#held.get(held.partition) !== held) return;
    if (renewed === 1) this.#arm(held, sentAt);
    else {
      this.#forget(held);
      await this.#stop(held, 'lost');
    }
  }

  /** (Re)sets the deadline: a renew interval before the lease, renewed at `sentAt`, expires. */
  #arm(held: Held, sentAt: number): void {
    if (held.timer !== undefined) this.#clock.clearTimeout(held.timer);
    held.renewedAt = sentAt;
    held.deadline = sentAt + this.timing.leaseTtlMs - this.timing.renewIntervalMs;
    held.timer = this.#clock.setTimeout(
      () => {
        if (this.#held.get(held.partition) !== held) return;
        this.#forget(held);
        void this.#stop(held, 'expiring');
      },
      Math.max(0, held.deadline - this.#clock.now()),
    );
  }

  #forget(held: Held): void {
    if (held.timer !== undefined) this.#clock.clearTimeout(held.timer);
    this.#held.delete(held.partition);
  }

  async #release(held: Held): Promise<void> {
    this.#forget(held);
    await this.#stop(held, 'released');
    try {
      await this.#bounded(this.#commands.releaseLease(held.fence.key, held.fence.value));
    } catch (error) {
      // It expires on its own after leaseTtlMs.
      this.#onError?.(error);
    }
  }
}
