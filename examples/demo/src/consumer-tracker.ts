import type { Clock } from '@birdstream/core';

/** What the dashboard shows about one consumer. */
export interface ConsumerSnapshot {
  name: string;
  delivered: number;
  /** Posts delivered in the last real second. */
  postsPerSecond: number;
  reconnects: number;
  /** Failure classes of the reconnects, most recent last. */
  reasons: string[];
  /** `backfill_minutes` asked for on each reconnect. */
  backfills: number[];
  duplicatesDropped: number;
  /** Emulated ms since the last byte (post or keep-alive), or undefined before the first. */
  heartbeatAgeMs: number | undefined;
  /** Median age of the posts received in the last lag interval (created_at to arrival), ms. */
  lagMs: number | undefined;
  /** Why the stream is falling behind now, if it is. */
  fallingBehind: string | undefined;
  /** Set when the consumer stopped on an error. */
  error: string | undefined;
}

/** Collects one consumer's deliveries and lifecycle, for the live view and the summary. */
export class ConsumerTracker {
  readonly ids: string[] = [];
  private readonly recent: number[] = [];
  private reconnects = 0;
  private readonly reasons: string[] = [];
  private readonly backfills: number[] = [];
  private duplicates = 0;
  private lastByteAt: number | undefined;
  private lagMs: number | undefined;
  private fallingBehind: string | undefined;
  private error: string | undefined;

  constructor(
    readonly name: string,
    private readonly clock: Clock,
  ) {}

  delivered(id: string): void {
    this.ids.push(id);
    this.recent.push(performance.now());
    this.heartbeat();
  }

  heartbeat(): void {
    this.lastByteAt = this.clock.now();
  }

  reconnecting(failure: string): void {
    this.reconnects++;
    this.reasons.push(failure);
  }

  backfill(minutes: number): void {
    this.backfills.push(minutes);
  }

  duplicate(): void {
    this.duplicates++;
  }

  /** A `lag` event's figures: the median post age and whether the stream is falling behind. */
  lag(ageP50Ms: number | undefined, fallingBehind: string | undefined): void {
    this.lagMs = ageP50Ms;
    this.fallingBehind = fallingBehind;
  }

  failed(message: string): void {
    this.error = message;
  }

  snapshot(): ConsumerSnapshot {
    const now = performance.now();
    while (this.recent.length > 0 && (this.recent[0] as number) < now - 1_000) this.recent.shift();
    return {
      name: this.name,
      delivered: this.ids.length,
      postsPerSecond: this.recent.length,
      reconnects: this.reconnects,
      reasons: [...this.reasons],
      backfills: [...this.backfills],
      duplicatesDropped: this.duplicates,
      heartbeatAgeMs:
        this.lastByteAt === undefined ? undefined : this.clock.now() - this.lastByteAt,
      lagMs: this.lagMs,
      fallingBehind: this.fallingBehind,
      error: this.error,
    };
  }
}
