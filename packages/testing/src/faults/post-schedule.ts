import type { Fault, StreamEndpoint } from './fault.js';

/** A fault waiting for a stream to reach an item of its timeline. */
export interface PostPinnedFault {
  /** The item (0 = the first created after `startTime`). */
  atPost: number;
  fault: Fault;
}

const NONE: readonly Fault[] = [];

/**
 * Faults pinned to items of the timeline rather than to time: scripted
 * faults with `atPost`, and random faults drawn every `faultIntervalPosts`.
 * A stream connection asks, for every item it reaches, which faults are due;
 * each is handed out once, in the order it was added. Because items are
 * counted, not time, one seed strikes the same faults at the same posts
 * however fast the machine runs.
 */
export class PostFaultSchedule {
  #pending: PostPinnedFault[] = [];
  /** The smallest `atPost` pending: every item before it is answered at once. */
  #earliest = Number.POSITIVE_INFINITY;
  /** Draws the episode after item `after` (random faults by post count); none for a script. */
  readonly #draw: ((after: number) => PostPinnedFault[]) | undefined;
  #drawnUpTo = -1;

  constructor(draw?: (after: number) => PostPinnedFault[]) {
    this.#draw = draw;
    if (draw) this.#refill();
  }

  /** Pins `fault` to item `atPost`. */
  add(atPost: number, fault: Fault): void {
    this.#pending.push({ atPost, fault });
    this.#earliest = Math.min(this.#earliest, atPost);
  }

  /** How many faults are still waiting. */
  get size(): number {
    return this.#pending.length;
  }

  /**
   * The faults due now that a connection of `endpoint` reached item `index`
   * (those pinned at or before it, for that stream or any), taken off the
   * schedule in the order they were added.
   */
  take(endpoint: StreamEndpoint, index: number): readonly Fault[] {
    if (index < this.#earliest) return NONE;
    const due: Fault[] = [];
    const left: PostPinnedFault[] = [];
    for (const entry of this.#pending) {
      const matches = entry.fault.endpoint === undefined || entry.fault.endpoint === endpoint;
      if (matches && entry.atPost <= index) due.push(entry.fault);
      else left.push(entry);
    }
    this.#pending = left;
    this.#earliest = Math.min(...left.map((e) => e.atPost));
    // The next episode counts from where this one struck: when a connection reached it late
    // (the item was created while no connection, nor a backfill, covered it), the episodes
    // drawn after it do not all fall due at once.
    if (this.#draw && due.length > 0) this.#refill(index);
    return due;
  }

  /** Random faults: the next episode is drawn once the previous one is due, after item `reached`. */
  #refill(reached = -1): void {
    if (!this.#draw || this.#pending.length > 0) return;
    for (const entry of this.#draw(Math.max(this.#drawnUpTo, reached))) {
      this.add(entry.atPost, entry.fault);
      this.#drawnUpTo = Math.max(this.#drawnUpTo, entry.atPost);
    }
  }
}
