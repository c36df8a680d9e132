/** Structurally the `Clock` of @birdstream/core (kept local to avoid a dependency cycle). */
export interface VirtualClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

interface Timer {
  id: number;
  at: number;
  callback: () => void;
}

/**
 * A virtual clock for tests: time only moves when the test calls `advance`
 * or `runAll`, and timers fire in order. Between timers it lets pending
 * promise callbacks run, so async code reacts as it would in real time.
 */
export class ManualClock implements VirtualClock {
  private current: number;
  private nextId = 1;
  private timers: Timer[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): number {
    const timer = { id: this.nextId++, at: this.current + Math.max(0, ms), callback };
    this.timers.push(timer);
    this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Timers not yet fired (a closed stream must leave none). */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Delays (from now) of the pending timers, soonest first. */
  pendingDelays(): number[] {
    return this.timers.map((t) => t.at - this.current);
  }

  /** Moves time forward by `ms`, firing every timer due on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await flushMicrotasks();
    for (;;) {
      const next = this.timers[0];
      if (!next || next.at > target) break;
      this.timers.shift();
      this.current = next.at;
      next.callback();
      await flushMicrotasks();
    }
    this.current = target;
    await flushMicrotasks();
  }

  /** Fires the next pending timer, whatever its delay; returns the delay it waited. */
  async next(): Promise<number | undefined> {
    await flushMicrotasks();
    const timer = this.timers[0];
    if (!timer) return undefined;
    const waited = timer.at - this.current;
    await this.advance(waited);
    return waited;
  }
}

/** Lets queued promise callbacks (and one macrotask turn) run. */
export async function flushMicrotasks(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
