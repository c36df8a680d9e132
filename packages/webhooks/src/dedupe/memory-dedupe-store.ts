import { type Clock, type DedupeOverflow, systemClock, TimedIdWindow } from '@birdstream/core';
import type { DedupeClaim, DeliveryDedupeStore } from './dedupe-store.js';

/**
 * How long a receiver remembers a post id by default: 10 minutes, longer
 * than X's retries of one delivery and the time between redundant links. A
 * replay job re-sends up to 24 hours: give `retainMs` that long (memory: about
 * 180 bytes per id) or use a Redis store, whose default is 25 hours.
 */
export const DEFAULT_WEBHOOK_DEDUPE_RETAIN_MS = 10 * 60_000;

/** Options of `new MemoryDedupeStore()`. */
export interface MemoryDedupeStoreOptions {
  /**
   * How long a handed-over post id is remembered, in ms.
   * @default 600_000 (10 minutes)
   */
  retainMs?: number;
  /**
   * Hard bound on the ids remembered (core's `TimedIdWindow`): past it the
   * oldest is forgotten early and `onOverflow` reports it.
   * @default 2_000_000
   */
  maxIds?: number;
  /** Where time comes from. @default systemClock */
  clock?: Pick<Clock, 'now'>;
  /** Called when the bound forgets ids before `retainMs`: duplicates may follow. @default undefined */
  onOverflow?: (overflow: DedupeOverflow) => void;
}

/**
 * The dedupe of one process: core's `TimedIdWindow` (ids remembered for a
 * time, whatever the rate, with a hard memory bound) for handed-over ids,
 * and a set of the ids being handed over now.
 *
 * @example
 * ```ts
 * const receiver = new WebhookReceiver({ dedupe: new MemoryDedupeStore({ retainMs: 24 * 3_600_000 }), … });
 * ```
 */
export class MemoryDedupeStore implements DeliveryDedupeStore {
  readonly #window: TimedIdWindow;
  readonly #inFlight = new Set<string>();
  /**
   * Ids whose hand-over failed, with the time: `TimedIdWindow` records an id
   * when it is first seen and cannot forget one, so a released id is kept
   * here and a later claim of it counts as new. An entry leaves on that claim,
   * or once `retainMs` has passed (the window has forgotten the id by then).
   */
  readonly #released = new Map<string, number>();
  readonly #clock: Pick<Clock, 'now'>;
  readonly #retainMs: number;

  constructor(options: MemoryDedupeStoreOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#retainMs = options.retainMs ?? DEFAULT_WEBHOOK_DEDUPE_RETAIN_MS;
    this.#window = new TimedIdWindow({
      retainMs: this.#retainMs,
      ...(options.maxIds === undefined ? {} : { maxIds: options.maxIds }),
      clock: this.#clock,
      ...(options.onOverflow === undefined ? {} : { onOverflow: options.onOverflow }),
    });
  }

  claim(key: string): DedupeClaim {
    if (this.#inFlight.has(key)) return IN_FLIGHT;
    const seen = this.#window.seen(key);
    if (seen && !this.#released.delete(key)) return DUPLICATE;
    if (!seen) this.#released.delete(key);
    this.#inFlight.add(key);
    let settled = false;
    return {
      status: 'new',
      commit: () => {
        if (settled) return;
        settled = true;
        this.#inFlight.delete(key);
      },
      release: () => {
        if (settled) return;
        settled = true;
        this.#inFlight.delete(key);
        const now = this.#clock.now();
        this.#forgetReleasedBefore(now - this.#retainMs);
        this.#released.set(key, now);
      },
    };
  }

  #forgetReleasedBefore(cutoff: number): void {
    for (const [key, at] of this.#released) {
      if (at > cutoff) return;
      this.#released.delete(key);
    }
  }

  /** Ids remembered as handed over or being handed over. */
  get count(): number {
    return this.#window.count;
  }
}

const DUPLICATE: DedupeClaim = { status: 'duplicate' };
const IN_FLIGHT: DedupeClaim = { status: 'in-flight' };
