import type { BirdstreamError } from '../errors/birdstream-error.js';
import type { RecoveryEvent } from '../events/lifecycle.js';

/** How far back X's Recovery (`start_time`) reaches: 24 hours. */
export const RECOVERY_HORIZON_MS = 24 * 60 * 60_000;
/** X runs at most 2 recovery jobs at once. */
export const MAX_RECOVERY_JOBS = 2;
/**
 * How far a recovery window reaches past each end of the gap, so nothing
 * falls between it and the live stream: before the last time covered (X
 * may have created posts it had not sent yet; more when the delivery lag
 * measured is longer, see `deliveryLagMargin`) and after where the
 * reconnect's backfill surely starts (counted back from when its connection
 * was up; the margin covers a clock a little off X's). Also how far inside
 * X's 24 hours a window starts, so it is still within them when the request
 * arrives. The overlap is redelivered and dropped by dedupe.
 */
export const RECOVERY_MARGIN_MS = 60_000;

/** A gap to replay with `start_time`/`end_time` (epoch ms; the driver rounds to seconds). */
export interface RecoveryWindow {
  readonly id: number;
  readonly startTime: number;
  readonly endTime: number;
}

/** What `recoveryFor` makes of one outage: the window to replay and the part lost for good. */
export interface OutageRecovery {
  /** The part older than X's 24 hours (reported `unrecoverable`), if any. */
  unrecoverable: { startTime: number; endTime: number } | undefined;
  /** The part to replay, margins included, if any. */
  window: { startTime: number; endTime: number } | undefined;
}

/**
 * The recovery of one outage whose reconnect fell short, decided once its
 * live connection is up (at `at`): everything since `gapStart` (the last
 * time covered) that the reconnect, which surely covers from `coveredFrom`
 * (its backfill counted back from `at`, or `at` without one), does not
 * reach. The window starts `edgeMs` (the delivery-lag margin,
 * `deliveryLagMargin`), at least `RECOVERY_MARGIN_MS`, before `gapStart`
 * and ends `RECOVERY_MARGIN_MS` past `coveredFrom` (never past `at`); it is
 * clipped to a margin inside X's 24 hours, and what is older is
 * `unrecoverable`. Whether the outage needs a recovery at all is the
 * supervisor's call. A pure function: the supervisor calls it and keeps the
 * jobs.
 */
export function recoveryFor(
  at: number,
  gapStart: number,
  coveredFrom: number,
  edgeMs = 0,
): OutageRecovery {
  // A margin inside X's 24 hours: the request must still be within them when it arrives.
  const horizon = at - RECOVERY_HORIZON_MS + RECOVERY_MARGIN_MS;
  const startTime = Math.max(gapStart - Math.max(RECOVERY_MARGIN_MS, edgeMs), horizon);
  return {
    unrecoverable:
      gapStart < horizon
        ? { startTime: gapStart, endTime: Math.min(horizon, coveredFrom) }
        : undefined,
    window:
      startTime < coveredFrom
        ? { startTime, endTime: Math.min(coveredFrom + RECOVERY_MARGIN_MS, at) }
        : undefined,
  };
}

/**
 * The recovery windows of a stream: queued, and running at most
 * `MAX_RECOVERY_JOBS` at once (X's limit). No timers, no I/O: it says which
 * windows to start and the `recovery` events that tell it.
 */
export class RecoveryJobs {
  #ids = 0;
  readonly #queue: RecoveryWindow[] = [];
  readonly #running = new Map<number, RecoveryWindow>();

  /**
   * Plans one outage's recovery (`recoveryFor`): the `unrecoverable` event
   * and the window's `started` or `scheduled` event go into `events`.
   * Returns the windows to start now.
   */
  plan(
    at: number,
    gapStart: number,
    coveredFrom: number,
    edgeMs: number,
    events: RecoveryEvent[],
  ): RecoveryWindow[] {
    const recovery = recoveryFor(at, gapStart, coveredFrom, edgeMs);
    if (recovery.unrecoverable !== undefined) {
      events.push({ type: 'recovery', phase: 'unrecoverable', ...recovery.unrecoverable });
    }
    if (recovery.window !== undefined) this.#queue.push({ id: ++this.#ids, ...recovery.window });
    return this.#start(events);
  }

  /**
   * A window's request ended (`error` when it failed) after `posts` posts:
   * its `completed` or `failed` event, then queued windows start in its
   * slot. `undefined` for a window that is not running.
   */
  ended(
    id: number,
    posts: number,
    error: BirdstreamError | undefined,
    events: RecoveryEvent[],
  ): RecoveryWindow[] | undefined {
    const window = this.#running.get(id);
    if (window === undefined) return undefined;
    this.#running.delete(id);
    const { startTime, endTime } = window;
    events.push(
      error === undefined
        ? { type: 'recovery', phase: 'completed', startTime, endTime, posts }
        : { type: 'recovery', phase: 'failed', startTime, endTime, posts, error },
    );
    return this.#start(events);
  }

  /** Starts queued windows while a slot is free; the rest are (again) said to be scheduled. */
  #start(events: RecoveryEvent[]): RecoveryWindow[] {
    const started: RecoveryWindow[] = [];
    while (this.#queue.length > 0 && this.#running.size < MAX_RECOVERY_JOBS) {
      const window = this.#queue.shift()!;
      this.#running.set(window.id, window);
      started.push(window);
      events.push({
        type: 'recovery',
        phase: 'started',
        startTime: window.startTime,
        endTime: window.endTime,
      });
    }
    for (const window of this.#queue) {
      if (!events.some((e) => e.startTime === window.startTime)) {
        events.push({
          type: 'recovery',
          phase: 'scheduled',
          startTime: window.startTime,
          endTime: window.endTime,
        });
      }
    }
    return started;
  }
}
