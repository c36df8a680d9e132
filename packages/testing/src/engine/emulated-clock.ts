import type { Clock } from '@birdstream/core';

/**
 * The emulator's notion of time. Emulated time starts at `startTime` and runs
 * `timeScale` times faster than real time: with `timeScale: 100`, the 20 s
 * keep-alive interval takes 200 real ms.
 *
 * It is also a `Clock` (the interface of @birdstream/core), so a client can
 * share it: `new StreamClient({ clock: emu.clock, ... })` makes the client's
 * stall timer, back-off delays and backfill arithmetic run in emulated time
 * too, consistent with the `x-rate-limit-reset` headers the emulator sends.
 */
export class EmulatedClock implements Clock {
  /** The real and emulated times of the last change of speed (or the start). */
  #anchorReal: number;
  #anchorEmulated: number;
  #timeScale: number;

  constructor(
    /** Emulated epoch ms at the moment the clock was created. */
    readonly startTime: number,
    /** How much faster than real time emulated time runs. */
    timeScale: number,
  ) {
    this.#anchorReal = performance.now();
    this.#anchorEmulated = startTime;
    this.#timeScale = timeScale;
  }

  /** How much faster than real time emulated time runs now. */
  get timeScale(): number {
    return this.#timeScale;
  }

  /**
   * Changes the speed from now on; emulated time stays continuous. For a
   * test that skips a long outage fast, then slows down so that the real
   * latency of the next requests is small in emulated time. Slowing down is
   * exact for pending timers (they re-arm); after speeding up, a pending
   * timer fires at its old real-time deadline, late in emulated time.
   */
  setTimeScale(timeScale: number): void {
    if (!(Number.isFinite(timeScale) && timeScale > 0)) {
      throw new RangeError(`timeScale must be a positive number, got ${String(timeScale)}.`);
    }
    this.#anchorEmulated = this.now();
    this.#anchorReal = performance.now();
    this.#timeScale = timeScale;
  }

  /** Emulated epoch milliseconds. */
  now(): number {
    return this.#anchorEmulated + (performance.now() - this.#anchorReal) * this.#timeScale;
  }

  /** Emulated ms since the clock started. */
  elapsed(): number {
    return this.now() - this.startTime;
  }

  /** Real ms that `emulatedMs` of emulated time takes (at the current speed). */
  toRealMs(emulatedMs: number): number {
    return emulatedMs / this.#timeScale;
  }

  /**
   * Calls `callback` after `ms` of emulated time, never earlier: Node may
   * fire a timer a fraction of a millisecond early, which `timeScale` would
   * turn into emulated seconds, so an early timer is re-armed for the rest.
   */
  setTimeout(callback: () => void, ms: number): EmulatedTimer {
    const due = this.now() + Math.max(0, ms);
    const timer: EmulatedTimer = { id: undefined };
    const arm = (delay: number) => {
      timer.id = setTimeout(() => {
        const left = due - this.now();
        if (left > 0) arm(left);
        else {
          timer.id = undefined;
          callback();
        }
      }, delay / this.#timeScale);
    };
    arm(Math.max(0, ms));
    return timer;
  }

  clearTimeout(handle: unknown): void {
    const timer = handle as EmulatedTimer | undefined;
    if (timer?.id !== undefined) clearTimeout(timer.id);
    if (timer) timer.id = undefined;
  }
}

/** A pending timer of an {@link EmulatedClock} (re-armed internally if Node fires it early). */
export interface EmulatedTimer {
  id: ReturnType<typeof setTimeout> | undefined;
}

/**
 * The emulator's own timers, on emulated time, tracked so `close()` can
 * cancel every one of them and leave no handle behind.
 */
export class TimerGroup {
  private readonly handles = new Set<EmulatedTimer>();

  constructor(private readonly clock: EmulatedClock) {}

  /** Runs `callback` after `emulatedMs`. */
  after(emulatedMs: number, callback: () => void): EmulatedTimer {
    const handle = this.clock.setTimeout(() => {
      this.handles.delete(handle);
      callback();
    }, emulatedMs);
    this.handles.add(handle);
    return handle;
  }

  cancel(handle: EmulatedTimer | undefined): void {
    if (handle === undefined) return;
    this.clock.clearTimeout(handle);
    this.handles.delete(handle);
  }

  get size(): number {
    return this.handles.size;
  }

  clearAll(): void {
    for (const handle of this.handles) this.clock.clearTimeout(handle);
    this.handles.clear();
  }
}
