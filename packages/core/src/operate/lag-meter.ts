/** Options of the lag measurements (the `lag` stream option). */
export interface LagOptions {
  /** How often a `lag` event reports, at most. @default 5_000 */
  intervalMs?: number;
  /**
   * Posts older than this on arrival (median over an interval) mean the
   * stream is falling behind. X's P99 latency is 6–7 s and high-volume
   * streams deliver 99 % within a minute.
   * @default 30_000
   */
  maxAgeMs?: number;
  /**
   * The consumer holding messages for at least this share of an interval
   * means it is the bottleneck: X's buffer for this connection is filling,
   * and X disconnects readers that stay too slow. 0 to 1.
   * @default 0.9
   */
  maxConsumerShare?: number;
}

/** Spread of a measure over one interval. */
export interface Spread {
  p50: number;
  max: number;
}

/** How far behind a stream is: what `lag` events and `stream.stats.lag` report. */
export interface LagStat {
  /**
   * Age of the posts received in the interval (now − `created_at`, or the
   * time in the post's id when `created_at` was not requested), in ms.
   * `undefined` when nothing with a time arrived.
   */
  ageMs: Spread | undefined;
  /** How long the consumer held each message before asking for the next, in ms. */
  holdMs: Spread | undefined;
  /** Share of the interval the consumer spent holding messages (1 = always busy). */
  consumerShare: number;
  /** Messages decoded and waiting for the consumer in the client. */
  waitingMessages: number;
  /** Bytes received and not yet decoded into messages. */
  waitingBytes: number;
  receivedPerSecond: number;
  deliveredPerSecond: number;
  /** Why the stream is falling behind now, if it is. */
  fallingBehind: FallingBehindReason | undefined;
}

/** `posts-aging`: posts arrive old; `consumer-saturated`: the consumer cannot keep up. */
export type FallingBehindReason = 'posts-aging' | 'consumer-saturated';

function spread(values: number[]): Spread | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: sorted[Math.floor((sorted.length - 1) / 2)]!, max: sorted[sorted.length - 1]! };
}

/** What a finished interval produced. */
export interface LagTick {
  stat: LagStat;
  /** The stream started falling behind in this interval (fire the warning once). */
  startedFallingBehind: boolean;
  /** The stream had been falling behind and caught up in this interval. */
  caughtUp: boolean;
}

/**
 * Measures how far a stream lags, from what the driver tells it: messages
 * received (with the time their item was created), handed to the consumer,
 * and released (the consumer asked for the next one). `tick(now)` closes an
 * interval at most every `intervalMs` and says whether the stream started
 * falling behind, so a warning can come before X disconnects a slow reader
 * (whose disconnect message may never arrive). Pure logic on the caller's
 * clock; no timers.
 */
export class LagMeter {
  readonly intervalMs: number;
  readonly maxAgeMs: number;
  readonly maxConsumerShare: number;
  #intervalStart: number;
  #ages: number[] = [];
  #holds: number[] = [];
  #holdTotal = 0;
  #received = 0;
  #delivered = 0;
  #heldSince: number | undefined;
  #waitingMessages = 0;
  #waitingBytes = 0;
  #behind: FallingBehindReason | undefined;
  #last: LagStat | undefined;

  constructor(options: LagOptions, now: number) {
    this.intervalMs = options.intervalMs ?? 5_000;
    this.maxAgeMs = options.maxAgeMs ?? 30_000;
    this.maxConsumerShare = options.maxConsumerShare ?? 0.9;
    this.#intervalStart = now;
  }

  /** A message arrived from the network; `createdAt` is its item's creation time, if known. */
  received(now: number, createdAt: number | undefined): void {
    this.#received++;
    if (createdAt !== undefined && Number.isFinite(createdAt)) {
      this.#ages.push(Math.max(0, now - createdAt));
    }
  }

  /** A message was handed to the consumer. */
  delivered(now: number): void {
    this.#delivered++;
    this.#heldSince = now;
  }

  /** The consumer asked for the next message. */
  released(now: number): void {
    if (this.#heldSince === undefined) return;
    const held = now - this.#heldSince;
    this.#holds.push(held);
    this.#holdTotal += held;
    this.#heldSince = undefined;
  }

  /** What waits in the client right now. */
  waiting(messages: number, bytes: number): void {
    this.#waitingMessages = messages;
    this.#waitingBytes = bytes;
  }

  /** The last finished interval's figures (`undefined` before the first). */
  get last(): LagStat | undefined {
    return this.#last;
  }

  /** Closes the interval when `intervalMs` has passed; otherwise `undefined`. */
  tick(now: number): LagTick | undefined {
    const elapsed = now - this.#intervalStart;
    if (elapsed < this.intervalMs) return undefined;
    // A message still held counts toward the consumer's share up to now.
    const holding =
      this.#heldSince === undefined ? 0 : now - Math.max(this.#heldSince, this.#intervalStart);
    const consumerShare = Math.min(1, (this.#holdTotal + holding) / elapsed);
    const ageMs = spread(this.#ages);
    let reason: FallingBehindReason | undefined;
    if (ageMs !== undefined && ageMs.p50 > this.maxAgeMs) reason = 'posts-aging';
    else if (consumerShare >= this.maxConsumerShare && this.#delivered > 0) {
      reason = 'consumer-saturated';
    }
    const stat: LagStat = {
      ageMs,
      holdMs: spread(this.#holds),
      consumerShare,
      waitingMessages: this.#waitingMessages,
      waitingBytes: this.#waitingBytes,
      receivedPerSecond: (this.#received * 1000) / elapsed,
      deliveredPerSecond: (this.#delivered * 1000) / elapsed,
      fallingBehind: reason,
    };
    const startedFallingBehind = reason !== undefined && this.#behind === undefined;
    const caughtUp = reason === undefined && this.#behind !== undefined;
    this.#behind = reason;
    this.#last = stat;
    this.#intervalStart = now;
    this.#ages = [];
    this.#holds = [];
    this.#holdTotal = 0;
    this.#received = 0;
    this.#delivered = 0;
    if (this.#heldSince !== undefined) this.#heldSince = now;
    return { stat, startedFallingBehind, caughtUp };
  }
}

/**
 * When the item of a stream message was created, epoch ms: `data.created_at`
 * (posts with that field, likes), `event_at` of a compliance event, or the
 * time in a snowflake `data.id`.
 */
export function itemTime(
  message: unknown,
  snowflake: (id: string) => number | undefined,
): number | undefined {
  const data = (message as { data?: Record<string, unknown> } | undefined)?.data;
  if (typeof data !== 'object' || data === null) return undefined;
  if (typeof data.created_at === 'string') {
    const t = Date.parse(data.created_at);
    if (Number.isFinite(t)) return t;
  }
  for (const value of Object.values(data)) {
    const eventAt = (value as { event_at?: unknown } | null)?.event_at;
    if (typeof eventAt === 'string') {
      const t = Date.parse(eventAt);
      if (Number.isFinite(t)) return t;
    }
  }
  return typeof data.id === 'string' ? snowflake(data.id) : undefined;
}
