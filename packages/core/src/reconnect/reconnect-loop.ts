import type { StreamEventEmitter } from '../client/event-emitter.js';
import type { ResolvedStreamOptions } from '../client/stream-options.js';
import type { StreamStats } from '../client/stream-stats.js';
import type { BudgetExhaustedError } from '../errors/budget-exhausted-error.js';
import { StallError } from '../errors/stall-error.js';
import { itemTime } from '../operate/item-time.js';
import { StreamMeters } from '../operate/stream-meters.js';
import type { Clock } from '../time/clock.js';
import { sleep } from '../time/sleep.js';
import type {
  ConnectionMessage,
  ConnectOptions,
  StreamConnection,
} from '../transport/connection-types.js';
import {
  connectedEvent,
  connectingEvent,
  operationalDisconnectError,
  serverEndedError,
  translateMessage,
} from './message-events.js';
import { createPostDedupe, RECOVERY_HOLD_MARGIN_MS } from './post-dedupe.js';
import { type ReclaimContext, reclaimStale } from './reclaim.js';
import { recoveryTimeParams } from './recovery-times.js';
import { StallWatchdog } from './stall-watchdog.js';
import { type RecoveryWindow, StreamSupervisor, type SupervisorResult } from './supervisor.js';

/** What the reconnect loop needs from its stream. */
export interface ReconnectLoopContext {
  clock: Clock;
  options: ResolvedStreamOptions;
  emitter: StreamEventEmitter;
  stats: StreamStats;
  /** Aborted when the stream closes: ends connects, reads and back-off sleeps. */
  signal: AbortSignal;
  /**
   * True when the request replays a fixed window (`start_time`/`end_time`):
   * the server ends the body when done, which then ends the stream.
   */
  recovery: boolean;
  /** The identity of a message for dedupe (the endpoint row's `dedupeKey`). */
  dedupeKey(message: unknown): string | undefined;
  /** The URL a connection with this backfill would use (for the `connecting` event). */
  urlFor(backfillMinutes: number | undefined): string;
  /** Opens one connection (StreamClient.connect). */
  connect(options: ConnectOptions): Promise<StreamConnection<unknown>>;
  /** Kills stale connections on a 429 TooManyConnections (`reclaimStaleConnections`), when on. */
  reclaim?: ReclaimContext;
  /**
   * Opens a recovery connection replaying [`startTime`, `endTime`]
   * (`start_time`/`end_time`, RFC 3339 seconds), for `recoverGaps`.
   */
  connectWindow?(
    startTime: string,
    endTime: string,
    options: ConnectOptions,
  ): Promise<StreamConnection<unknown>>;
  /**
   * Called once when the loop ends: with the error it throws, or
   * `undefined` when it returns (closed, or a recovery replayed). Lets the
   * stream hand the generator to the consumer as it is, without a wrapper
   * (and its extra promise) per post.
   */
  onEnd?(error: unknown): void;
}

/** Recovered posts waiting for the consumer above which a recovery stops reading. */
export const RECOVERY_BUFFER_POSTS = 1_000;

/**
 * Reads a connection a batch at a time: `readBatch()` when the connection
 * has it (core's own), else its async iterator one message per batch.
 */
function batchReader(
  connection: StreamConnection<unknown>,
): () => Promise<ConnectionMessage<unknown>[] | null> {
  if (typeof connection.readBatch === 'function') return () => connection.readBatch!();
  const messages = connection[Symbol.asyncIterator]();
  return async () => {
    const next = await messages.next();
    return next.done ? null : [next.value];
  };
}

/**
 * Core's driver of the `StreamSupervisor`: a `for await`-able generator of
 * posts. It owns time (the injected `Clock`: back-off sleeps, the stall
 * watchdog) and the connections; every decision — health, back-off,
 * `maxRetries`, the policy hook, backfill, the first-connection bound — is
 * the supervisor's. Yields posts only; returns when the stream is closed
 * and throws the error that ended it.
 */
export async function* reconnectLoop<R>(ctx: ReconnectLoopContext): AsyncGenerator<R, void> {
  const { clock, options, emitter, stats, signal } = ctx;
  const dedupe = createPostDedupe(options.dedupe, clock, (overflow) =>
    emitter.emit({ type: 'dedupe-overflow', ...overflow }),
  );
  /**
   * True (and counted, and reported) when an item with this message's key —
   * the endpoint row's `dedupeKey` — was already delivered: live posts and
   * posts a recovery replayed go through the same check.
   */
  const dropDuplicate = (message: unknown): boolean => {
    if (dedupe === undefined) return false;
    const key = ctx.dedupeKey(message);
    if (key === undefined || !dedupe.seen(key, clock.now())) return false;
    stats.duplicates++;
    emitter.emit({ type: 'duplicate', id: key });
    return true;
  };
  // Spend (`budget`) and lag (`lag`): told what happens to each message, they emit the events.
  const meters = new StreamMeters(
    { budget: options.budget, lag: options.lag },
    emitter,
    stats,
    clock.now(),
  );
  const supervisor = new StreamSupervisor({
    maxRetries: options.maxRetries,
    healthyAfterMs: options.healthyAfterMs,
    schedule: options.schedule,
    random: options.random,
    policy: options.policy,
    backfill: options.backfill,
    firstConnection: options.firstConnection,
    recoverGaps: options.recoverGaps,
    reclaim: ctx.reclaim !== undefined,
  });
  const emitAll = (result: SupervisorResult) => {
    for (const event of result.events) emitter.emit(event);
  };
  // Recovery (recoverGaps): windows replayed beside the live connection; their posts wait here.
  const recovered: R[] = [];
  // A recovery replays posts delivered long ago (its window's edges): dedupe keeps their keys
  // until the recovered posts have been checked, then these release the holds.
  let releaseWhenDrained: (() => void)[] = [];
  let wake: (() => void) | undefined;
  // Backpressure: a recovery stops reading while RECOVERY_BUFFER_POSTS of its posts wait for the
  // consumer (a day's replay must not be held in memory), and goes on once half were taken.
  // (Closing the stream resumes them too, so they end.)
  let waitingForRoom: (() => void)[] = [];
  const resumeRecoveries = () => {
    const waiters = waitingForRoom;
    waitingForRoom = [];
    for (const resume of waiters) resume();
  };
  const roomMade = () => {
    if (recovered.length <= RECOVERY_BUFFER_POSTS / 2) resumeRecoveries();
  };
  const startRecoveries = (windows: readonly RecoveryWindow[] | undefined) => {
    const connectWindow = ctx.connectWindow;
    if (windows === undefined || connectWindow === undefined) return;
    for (const window of windows) {
      const release = dedupe?.hold?.(window.startTime - RECOVERY_HOLD_MARGIN_MS);
      void (async () => {
        let posts = 0;
        let error: unknown;
        try {
          const connectOptions: ConnectOptions = { signal, validate: options.validate };
          if (options.maxMessageBytes !== undefined) {
            connectOptions.maxMessageBytes = options.maxMessageBytes;
          }
          const times = recoveryTimeParams(window);
          const connection = await connectWindow(times.start_time, times.end_time, connectOptions);
          try {
            for await (const message of connection) {
              if (signal.aborted) break;
              const translated = translateMessage<R>(message, clock.now());
              if (translated.kind === 'response' && translated.post !== undefined) {
                posts++;
                recovered.push(translated.post);
                const w = wake;
                wake = undefined;
                w?.();
                if (recovered.length >= RECOVERY_BUFFER_POSTS && !signal.aborted) {
                  await new Promise<void>((resume) => waitingForRoom.push(resume));
                }
              }
            }
          } finally {
            await connection.close();
          }
        } catch (e) {
          error = e;
        }
        if (release !== undefined) {
          if (recovered.length > 0) releaseWhenDrained.push(release);
          else release();
        }
        if (signal.aborted) return;
        const ended = supervisor.dispatch(
          error === undefined
            ? { type: 'recovery-ended', id: window.id, posts }
            : { type: 'recovery-ended', id: window.id, posts, error },
        );
        emitAll(ended);
        startRecoveries(ended.recover);
      })();
    }
  };
  const WAKE = Symbol('wake');
  const onAbort = () => {
    supervisor.dispatch({ type: 'close' });
    resumeRecoveries();
  };
  signal.addEventListener('abort', onAbort, { once: true });

  let failed: unknown;
  try {
    const alreadySpent = meters.spent(clock.now());
    if (alreadySpent !== undefined) {
      emitter.emit({ type: 'error', error: alreadySpent });
      throw alreadySpent;
    }
    while (!signal.aborted) {
      const start = supervisor.dispatch({ type: 'connect', at: clock.now() });
      emitAll(start);
      if (start.decision.type !== 'connect') return;
      const { attempt, backfillMinutes } = start.decision;
      const url = ctx.urlFor(backfillMinutes);
      supervisor.dispatch({ type: 'connecting', url });
      emitter.emit(connectingEvent(attempt, url, backfillMinutes));

      let failure: unknown;
      let stalled = false;
      let bytesWithoutMessage = false;
      /** When the last complete frame (message or keep-alive) arrived, or the connection opened. */
      let lastFrameAt = clock.now();
      let bytesSinceFrame = false;
      // Set when a delivered post spent the budget: the clean stop after the consumer has it.
      let spent: BudgetExhaustedError | undefined;
      let connection: StreamConnection<unknown> | undefined;
      const reportStall = (withoutMessage: boolean) => {
        if (stalled) return;
        stalled = true;
        bytesWithoutMessage = withoutMessage;
        emitter.emit(
          withoutMessage
            ? { type: 'stalled', timeoutMs: options.stallTimeoutMs, bytesWithoutMessage: true }
            : { type: 'stalled', timeoutMs: options.stallTimeoutMs },
        );
        void connection?.close();
      };
      const watchdog = new StallWatchdog(clock, options.stallTimeoutMs, () =>
        reportStall(bytesSinceFrame),
      );
      // Closing the stream while the consumer holds a post must not leave the timer behind.
      const stopWatchdog = () => watchdog.stop();
      signal.addEventListener('abort', stopWatchdog, { once: true });
      const onBytes = (bytes: number) => {
        const at = clock.now();
        stats.bytes += bytes;
        stats.lastByteAt = at;
        supervisor.dispatch({ type: 'activity', at });
        watchdog.touch();
        bytesSinceFrame = true;
        // Bytes that never complete a frame (a framing not understood) are not
        // life: once they have come for a whole stall window, report it.
        if (at - lastFrameAt >= options.stallTimeoutMs) reportStall(true);
      };
      const onFrame = () => {
        lastFrameAt = clock.now();
        bytesSinceFrame = false;
      };
      /** The consumer gave a post back: time spent holding it was not the server's. */
      const resume = () => {
        lastFrameAt = clock.now();
        watchdog.arm();
      };

      try {
        const connectOptions: ConnectOptions = {
          signal,
          validate: options.validate,
          onBytes,
          onFrame,
        };
        if (options.maxMessageBytes !== undefined) {
          connectOptions.maxMessageBytes = options.maxMessageBytes;
        }
        if (backfillMinutes !== undefined) connectOptions.backfillMinutes = backfillMinutes;
        connection = await ctx.connect(connectOptions);
      } catch (error) {
        failure = error;
      }

      if (connection && signal.aborted) {
        watchdog.stop();
        signal.removeEventListener('abort', stopWatchdog);
        await connection.close();
        return;
      }
      if (connection) {
        const up = supervisor.dispatch({ type: 'connected', at: clock.now() });
        emitter.emit(connectedEvent(attempt, connection));
        // The live connection is up: recover what its backfill cannot reach (recoverGaps).
        emitAll(up);
        startRecoveries(up.recover);
        watchdog.arm();
        // One promise per network read, however many messages it holds: the
        // messages of a batch are handled synchronously (decisions/0004).
        const read = batchReader(connection);
        let pending: Promise<ConnectionMessage<unknown>[] | null> | undefined;
        try {
          reading: for (;;) {
            // Posts a recovery replayed, delivered between live messages (dedupe drops repeats).
            while (recovered.length > 0) {
              const post = recovered.shift() as R;
              roomMade();
              if (dropDuplicate(post)) continue;
              stats.delivered++;
              spent = meters.delivered(clock.now());
              watchdog.disarm();
              yield post;
              meters.released(clock.now());
              if (signal.aborted) return;
              if (spent !== undefined) break reading;
              resume();
            }
            if (releaseWhenDrained.length > 0) {
              for (const release of releaseWhenDrained) release();
              releaseWhenDrained = [];
            }
            pending ??= read();
            const batch = options.recoverGaps
              ? await Promise.race([
                  pending,
                  new Promise<typeof WAKE>((resolve) => {
                    wake = () => resolve(WAKE);
                  }),
                ])
              : await pending;
            if (batch === WAKE) continue;
            pending = undefined;
            if (batch === null) break;
            for (let i = 0; i < batch.length; i++) {
              const now = clock.now();
              const translated = translateMessage<R>(batch[i]!, now);
              meters.waiting(recovered.length, connection.bytesWithoutMessage ?? 0);
              meters.tick(now);
              if (translated.kind === 'keep-alive') {
                stats.keepAlives++;
                if (emitter.has('keep-alive')) emitter.emit(translated.event);
                continue;
              }
              if (translated.kind === 'payload-invalid') {
                stats.invalid++;
                emitter.emit(translated.event);
                continue;
              }
              stats.received++;
              if (translated.errors) emitter.emit(translated.errors);
              const post = translated.post;
              if (post !== undefined) {
                const itemAt = itemTime(post);
                supervisor.dispatch({ type: 'activity', at: now, itemAt });
                meters.received(now, post, itemAt);
                if (!dropDuplicate(post)) {
                  stats.delivered++;
                  spent = meters.delivered(now);
                  // The consumer has the post: its time is not the network's silence.
                  watchdog.disarm();
                  yield post;
                  meters.released(clock.now());
                  if (signal.aborted) return;
                  if (spent !== undefined) break reading;
                  resume();
                }
              }
              if (translated.disconnect) {
                supervisor.dispatch({ type: 'operational-disconnect' });
                failure = operationalDisconnectError(translated.slowReader);
                break reading;
              }
            }
          }
          if (failure === undefined && !stalled && spent === undefined) {
            // A recovery request replays its window, then the server ends it: done.
            if (ctx.recovery) return;
            failure = serverEndedError();
          }
        } catch (error) {
          failure = error;
        } finally {
          watchdog.stop();
          signal.removeEventListener('abort', stopWatchdog);
          await connection.close();
        }
        if (signal.aborted) return;
        if (spent !== undefined) {
          // The budget is spent: the consumer has every post, the connection is closed.
          emitter.emit({ type: 'error', error: spent });
          throw spent;
        }
        if (stalled) failure = new StallError(options.stallTimeoutMs, { bytesWithoutMessage });
      } else {
        watchdog.stop();
        signal.removeEventListener('abort', stopWatchdog);
      }
      if (signal.aborted) return;

      let result = supervisor.dispatch({
        type: 'failure',
        error: failure ?? serverEndedError(),
        at: clock.now(),
        stalled,
      });
      emitAll(result);
      if (result.decision.type === 'reclaim' && ctx.reclaim !== undefined) {
        // The supervisor decides; the I/O (list, kill) is the driver's.
        const since = ctx.reclaim.since ?? supervisor.state.startedAt ?? clock.now();
        const outcome = await reclaimStale(ctx.reclaim, since, signal);
        if (signal.aborted) return;
        result = supervisor.dispatch({ type: 'reclaimed', at: clock.now(), ...outcome });
        emitAll(result);
      }
      const decision = result.decision;
      if (decision.type === 'stop') {
        emitter.emit({ type: 'error', error: decision.error });
        throw decision.error;
      }
      if (decision.type !== 'reconnect') return;
      stats.reconnects++;
      try {
        await sleep(decision.delayMs, clock, signal);
      } catch {
        return; // closed while waiting
      }
    }
  } catch (error) {
    failed = error;
    throw error;
  } finally {
    meters.finish(clock.now());
    signal.removeEventListener('abort', onAbort);
    // A recovery paused for room must not wait for a consumer that is gone.
    resumeRecoveries();
    ctx.onEnd?.(failed);
  }
}
