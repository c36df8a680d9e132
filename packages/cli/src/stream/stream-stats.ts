import type { Clock } from '@birdstream/core';

const RATE_WINDOW_SECONDS = 10;

/** What the stream is doing right now, for the progress line. */
export type StreamStatus = 'connecting' | 'connected' | 'reconnecting' | 'closed';

/**
 * Counters of one `birdstream stream` run: posts, reconnects, duplicates,
 * skipped messages, the last heartbeat, and a posts/s rate over the last 10 s.
 * All times come from the injected clock.
 */
export class StreamStats {
  readonly startedAt: number;
  posts = 0;
  reconnects = 0;
  duplicates = 0;
  invalid = 0;
  keepAlives = 0;
  /** Connections that answered 200. */
  connections = 0;
  status: StreamStatus = 'connecting';
  /** When the next reconnect attempt starts (epoch ms), while `status` is `reconnecting`. */
  reconnectAt: number | undefined;
  /** When anything (a post or a keep-alive) last arrived. */
  lastHeartbeatAt: number | undefined;
  private readonly clock: Clock;
  private readonly buckets = new Map<number, number>();

  constructor(clock: Clock) {
    this.clock = clock;
    this.startedAt = clock.now();
  }

  recordPost(): void {
    const now = this.clock.now();
    this.posts += 1;
    this.lastHeartbeatAt = now;
    const second = Math.floor(now / 1000);
    this.buckets.set(second, (this.buckets.get(second) ?? 0) + 1);
    if (this.buckets.size > RATE_WINDOW_SECONDS * 2) this.prune(second);
  }

  recordKeepAlive(): void {
    this.keepAlives += 1;
    this.lastHeartbeatAt = this.clock.now();
  }

  recordConnected(): void {
    this.connections += 1;
    this.status = 'connected';
    this.reconnectAt = undefined;
    this.lastHeartbeatAt = this.clock.now();
  }

  recordReconnecting(delayMs: number): void {
    this.reconnects += 1;
    this.status = 'reconnecting';
    this.reconnectAt = this.clock.now() + delayMs;
  }

  /** Milliseconds since the run started. */
  elapsedMs(): number {
    return this.clock.now() - this.startedAt;
  }

  /** Milliseconds since the last heartbeat, or `undefined` before the first. */
  sinceHeartbeatMs(): number | undefined {
    return this.lastHeartbeatAt === undefined ? undefined : this.clock.now() - this.lastHeartbeatAt;
  }

  /** Posts per second over the last 10 seconds (or since the start, when shorter). */
  recentRate(): number {
    const now = this.clock.now();
    const second = Math.floor(now / 1000);
    this.prune(second);
    let count = 0;
    for (const [at, n] of this.buckets) if (at > second - RATE_WINDOW_SECONDS) count += n;
    const windowMs = Math.min(RATE_WINDOW_SECONDS * 1000, Math.max(1000, now - this.startedAt));
    return count / (windowMs / 1000);
  }

  /** Posts per second since the start. */
  averageRate(): number {
    const elapsed = this.elapsedMs();
    return elapsed <= 0 ? 0 : this.posts / (elapsed / 1000);
  }

  private prune(second: number): void {
    for (const at of this.buckets.keys()) {
      if (at <= second - RATE_WINDOW_SECONDS) this.buckets.delete(at);
    }
  }
}
