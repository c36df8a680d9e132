import type { PostDedupe } from '../dedupe/post-dedupe.js';
import { RECOVERY_HOLD_MARGIN_MS } from '../dedupe/post-dedupe.js';
import type { RecoveryWindow } from '../reconnect/recovery-plan.js';
import { recoveryTimeParams } from '../reconnect/recovery-times.js';
import type { ConnectOptions, StreamConnection } from '../transport/connection-types.js';
import { WOKEN } from './connection-reader.js';
import { postOf } from './message-events.js';

/** Recovered posts waiting for the consumer above which a recovery stops reading. */
export const RECOVERY_BUFFER_POSTS = 1_000;

/** What a `RecoveryRunner` needs from its stream. */
export interface RecoveryRunnerContext {
  /** Aborted when the stream closes: recoveries stop. */
  signal: AbortSignal;
  /** Connect options of a recovery request (validation, message size; no hooks). */
  connectOptions: ConnectOptions;
  /** The stream's dedupe memory: held from a window's start until its posts are checked. */
  dedupe: PostDedupe | undefined;
  /** Opens a request replaying [`startTime`, `endTime`] (RFC 3339 seconds). */
  connectWindow(
    startTime: string,
    endTime: string,
    options: ConnectOptions,
  ): Promise<StreamConnection<unknown>>;
  /**
   * A window's request ended after `posts` posts (`error` when it failed):
   * returns the windows to start next (the supervisor's answer).
   */
  ended(id: number, posts: number, error: unknown): readonly RecoveryWindow[] | undefined;
}

/**
 * Runs the recovery windows of `recoverGaps` beside the live connection:
 * each as a `start_time`/`end_time` request whose posts wait here until the
 * driver takes them (between live messages; `woken()` tells it one came
 * while it waits for the network).
 *
 * - **Backpressure**: a recovery stops reading while
 *   `RECOVERY_BUFFER_POSTS` of its posts wait (a day's replay must not pile
 *   up in memory) and goes on once half were taken.
 * - **Dedupe holds**: a recovery replays posts delivered long ago (its
 *   window's edges), so dedupe keeps every key received since the window's
 *   start until the recovered posts have been checked.
 */
export class RecoveryRunner<R> {
  readonly #ctx: RecoveryRunnerContext;
  readonly #posts: R[] = [];
  /** Holds to release once the posts waiting now have been taken and checked. */
  #releaseWhenDrained: (() => void)[] = [];
  #wake: (() => void) | undefined;
  #waitingForRoom: (() => void)[] = [];

  constructor(ctx: RecoveryRunnerContext) {
    this.#ctx = ctx;
  }

  /** Recovered posts waiting for the consumer. */
  get waiting(): number {
    return this.#posts.length;
  }

  /** Starts a request per window (the supervisor decided them). */
  start(windows: readonly RecoveryWindow[] | undefined): void {
    if (windows === undefined) return;
    for (const window of windows) void this.#run(window);
  }

  /**
   * The next recovered post, or `undefined` when none waits (then the
   * holds of the posts taken before are released: they have been checked).
   */
  take(): R | undefined {
    if (this.#posts.length === 0) {
      if (this.#releaseWhenDrained.length > 0) {
        for (const release of this.#releaseWhenDrained) release();
        this.#releaseWhenDrained = [];
      }
      return undefined;
    }
    const post = this.#posts.shift() as R;
    if (this.#posts.length <= RECOVERY_BUFFER_POSTS / 2) this.resume();
    return post;
  }

  /** Resolves with `WOKEN` when a recovered post arrives (to race a live read). */
  woken(): Promise<typeof WOKEN> {
    return new Promise((resolve) => {
      this.#wake = () => resolve(WOKEN);
    });
  }

  /** Lets paused recoveries read on (room was made, or the stream ends and they must too). */
  resume(): void {
    const waiters = this.#waitingForRoom;
    this.#waitingForRoom = [];
    for (const resume of waiters) resume();
  }

  async #run(window: RecoveryWindow): Promise<void> {
    const { signal, dedupe } = this.#ctx;
    const release = dedupe?.hold?.(window.startTime - RECOVERY_HOLD_MARGIN_MS);
    let posts = 0;
    let error: unknown;
    try {
      const times = recoveryTimeParams(window);
      const connection = await this.#ctx.connectWindow(
        times.start_time,
        times.end_time,
        this.#ctx.connectOptions,
      );
      try {
        for await (const message of connection) {
          if (signal.aborted) break;
          const post = postOf<R>(message);
          if (post === undefined) continue;
          posts++;
          this.#posts.push(post);
          const wake = this.#wake;
          this.#wake = undefined;
          wake?.();
          if (this.#posts.length >= RECOVERY_BUFFER_POSTS && !signal.aborted) {
            await new Promise<void>((resume) => this.#waitingForRoom.push(resume));
          }
        }
      } finally {
        await connection.close();
      }
    } catch (e) {
      error = e;
    }
    if (release !== undefined) {
      if (this.#posts.length > 0) this.#releaseWhenDrained.push(release);
      else release();
    }
    if (signal.aborted) return;
    this.start(this.#ctx.ended(window.id, posts, error));
  }
}
