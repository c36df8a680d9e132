import type { Clock, TimerHandle } from '../time/clock.js';

/**
 * Fires `onStall` once no `touch()` has happened for `timeoutMs` while armed.
 * The stream touches it on every received chunk (posts and keep-alives
 * alike) and disarms it while the consumer holds a post, so a slow consumer
 * is never mistaken for a dead connection.
 *
 * The hot path stays cheap: `touch()`, `arm()` and `disarm()` only record
 * state; the single pending timer checks on expiry and re-schedules itself
 * for the remainder. `stop()` leaves no timer on the clock.
 */
export class StallWatchdog {
  private handle: TimerHandle | undefined;
  private armed = false;
  private stopped = false;
  private lastActivity = 0;

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs: number,
    private readonly onStall: () => void,
  ) {}

  /** Starts (or resumes) the countdown from a full `timeoutMs` (from `at`, the clock's now by default). */
  arm(at: number = this.clock.now()): void {
    if (this.stopped) return;
    this.armed = true;
    this.lastActivity = at;
    if (this.handle === undefined) this.schedule(this.timeoutMs);
  }

  /** Pauses the countdown: the consumer has the data, the network is not being read. */
  disarm(): void {
    this.armed = false;
  }

  /** Data arrived: the countdown starts over. */
  touch(): void {
    this.lastActivity = this.clock.now();
  }

  /** Stops for good; no timer is left on the clock. */
  stop(): void {
    this.stopped = true;
    this.armed = false;
    if (this.handle !== undefined) {
      this.clock.clearTimeout(this.handle);
      this.handle = undefined;
    }
  }

  private schedule(ms: number): void {
    this.handle = this.clock.setTimeout(() => this.check(), ms);
  }

  private check(): void {
    this.handle = undefined;
    if (this.stopped) return;
    if (!this.armed) {
      this.schedule(this.timeoutMs);
      return;
    }
    const quietMs = this.clock.now() - this.lastActivity;
    if (quietMs < this.timeoutMs) {
      this.schedule(this.timeoutMs - quietMs);
      return;
    }
    this.stop();
    this.onStall();
  }
}
