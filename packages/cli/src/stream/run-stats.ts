import type { BudgetUsage, Clock, LagStat, StreamStats } from '@birdstream/core';

const RATE_WINDOW_SECONDS = 10;

/** What the stream is doing right now, for the progress line. */
export type StreamStatus = 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** What the counters are read from: a core `EndpointStream` (its `stats` snapshot). */
export interface StatsSource {
  /** A stream's counters, or a partitioned stream's (whose `total` sums its partitions). */
  readonly stats: Readonly<StreamStats> | { readonly total: Readonly<StreamStats> };
}

/**
 * What the progress line and the summary of one `birdstream stream` run
 * show. The counters (posts, reconnects, duplicates, skipped messages,
 * keep-alives, the last byte) are core's `stream.stats`, read, never
 * recounted; this class adds only what core does not keep: the status, when
 * the next reconnect starts, how many connections answered, and a posts/s
 * rate over the last 10 s. All times come from the injected clock.
 */
export class RunStats {
  readonly startedAt: number;
  /** Connections that answered 200. */
  connections = 0;
  status: StreamStatus = 'connecting';
  /** When the next reconnect attempt starts (epoch ms), while `status` is `reconnecting`. */
  reconnectAt: number | undefined;
  readonly #clock: Clock;
  #source: StatsSource | undefined;

  /** The source's counters now (the sum over partitions for a partitioned stream). */
  get #counters(): Readonly<StreamStats> | undefined {
    const stats = this.#source?.stats;
    return stats !== undefined && 'total' in stats ? stats.total : stats;
  }
  #connectedAt: number | undefined;
  /** Posts first seen in each second (by the clock), for the recent rate. */
  readonly #buckets = new Map<number, number>();
  #postsSeen = 0;

  constructor(clock: Clock) {
    this.#clock = clock;
    this.startedAt = clock.now();
  }

  /** Reads the counters of `source` from now on (the stream of this run). */
  attach(source: StatsSource): void {
    this.#source = source;
  }

  /** Posts delivered (core's `stats.delivered`). */
  get posts(): number {
    return this.#counters?.delivered ?? 0;
  }

  /** Reconnects scheduled (core's `stats.reconnects`). */
  get reconnects(): number {
    return this.#counters?.reconnects ?? 0;
  }

  /** Posts dropped as already delivered (core's `stats.duplicates`). */
  get duplicates(): number {
    return this.#counters?.duplicates ?? 0;
  }

  /** Messages skipped as invalid (core's `stats.invalid`). */
  get invalid(): number {
    return this.#counters?.invalid ?? 0;
  }

  /** Keep-alives received (core's `stats.keepAlives`). */
  get keepAlives(): number {
    return this.#counters?.keepAlives ?? 0;
  }

  /** Where the budget (`--max-posts`) stands (core's `stats.usage`). */
  get usage(): BudgetUsage | undefined {
    return this.#counters?.usage;
  }

  /** The last lag interval (core's `stats.lag`); `undefined` before the first. */
  get lag(): LagStat | undefined {
    return this.#counters?.lag;
  }

  /** When anything (a byte of a post or a keep-alive, or the connection itself) last arrived. */
  get lastHeartbeatAt(): number | undefined {
    const lastByte = this.#counters?.lastByteAt;
    if (lastByte === undefined) return this.#connectedAt;
    return this.#connectedAt === undefined ? lastByte : Math.max(lastByte, this.#connectedAt);
  }

  recordConnected(): void {
    this.connections += 1;
    this.status = 'connected';
    this.reconnectAt = undefined;
    this.#connectedAt = this.#clock.now();
  }

  recordReconnecting(delayMs: number): void {
    this.status = 'reconnecting';
    this.reconnectAt = this.#clock.now() + delayMs;
  }

  /** Milliseconds since the run started. */
  elapsedMs(): number {
    return this.#clock.now() - this.startedAt;
  }

  /** Milliseconds since the last heartbeat, or `undefined` before the first. */
  sinceHeartbeatMs(): number | undefined {
    const at = this.lastHeartbeatAt;
    return at === undefined ? undefined : this.#clock.now() - at;
  }

  /**
   * Posts per second over the last 10 seconds (or since the start, when
   * shorter). Posts count in the second they were first seen here: the
   * progress line reads this every interval.
   */
  recentRate(): number {
    const now = this.#clock.now();
    const second = Math.floor(now / 1000);
    const posts = this.posts;
    if (posts > this.#postsSeen) {
      this.#buckets.set(second, (this.#buckets.get(second) ?? 0) + posts - this.#postsSeen);
      this.#postsSeen = posts;
    }
    let count = 0;
    for (const [at, n] of this.#buckets) {
      if (at <= second - RATE_WINDOW_SECONDS) this.#buckets.delete(at);
      else count += n;
    }
    const windowMs = Math.min(RATE_WINDOW_SECONDS * 1000, Math.max(1000, now - this.startedAt));
    return count / (windowMs / 1000);
  }

  /** Posts per second since the start. */
  averageRate(): number {
    const elapsed = this.elapsedMs();
    return elapsed <= 0 ? 0 : this.posts / (elapsed / 1000);
  }
}
