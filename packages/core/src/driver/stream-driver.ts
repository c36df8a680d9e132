import {
  createPostDedupe,
  type PostDedupe,
  RECOVERY_HOLD_MARGIN_MS,
} from '../dedupe/post-dedupe.js';
import type { StreamEventEmitter } from '../events/event-emitter.js';
import type { BudgetExhaustedError } from '../operate/budget-exhausted-error.js';
import type { SupervisorResult } from '../reconnect/supervision-protocol.js';
import { StreamSupervisor } from '../reconnect/supervisor.js';
import type { Clock } from '../time/clock.js';
import { sleep } from '../time/sleep.js';
import type { ConnectOptions, StreamConnection } from '../transport/connection-types.js';
import { type Batch, ConnectionReader, WOKEN } from './connection-reader.js';
import type { ResolvedStreamOptions } from './driver-options.js';
import { afterFailure } from './failure-decision.js';
import { connectedEvent, connectingEvent, serverEndedError } from './message-events.js';
import { MessageIntake } from './message-intake.js';
import type { ReclaimContext } from './reclaim-stale.js';
import { RecoveryRunner, type RecoveryRunnerContext } from './recovery-runner.js';
import { StreamMeters } from './stream-meters.js';
import type { StreamStats } from './stream-stats.js';

/** What the driver needs from its stream. */
export interface StreamDriverContext {
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
  reclaim?: ReclaimContext | undefined;
  /** Opens a recovery request (`recoverGaps`): see `RecoveryRunnerContext.connectWindow`. */
  connectWindow?: RecoveryRunnerContext<unknown>['connectWindow'] | undefined;
  /**
   * Called once when the driver ends: with the error it throws, or
   * `undefined` when it returns (closed, or a recovery replayed). Lets the
   * stream hand the generator to the consumer as it is, without a wrapper
   * (and its extra promise) per post.
   */
  onEnd?(error: unknown): void;
}

const NO_MESSAGES: Batch = [];

/**
 * Core's driver of the `StreamSupervisor`: a `for await`-able generator of
 * posts. It owns time (the injected `Clock`: back-off sleeps), the
 * connections (each read and watched by a `ConnectionReader`), what each
 * message does (`MessageIntake`) and the recoveries (a `RecoveryRunner`);
 * every decision — health, back-off, `maxRetries`, the policy hook,
 * backfill, recovery, the first-connection bound — is the supervisor's.
 * Yields posts only; returns when the stream is closed and throws the error
 * that ended it.
 */
export async function* driveStream<R>(ctx: StreamDriverContext): AsyncGenerator<R, void> {
  const { clock, options, emitter, stats, signal } = ctx;
  const dedupe = createPostDedupe(options.dedupe, clock, (overflow) =>
    emitter.emit({ type: 'dedupe-overflow', ...overflow }),
  );
  // Spend (`budget`) and lag (`lag`): told what happens to each message, they emit the events.
  const meters = new StreamMeters(options, emitter, stats, clock.now());
  const supervisor = new StreamSupervisor(options.supervision);
  const { dedupeKey } = ctx;
  const intake = new MessageIntake<R>({ emitter, stats, meters, supervisor, dedupe, dedupeKey });
  const emitAll = (result: SupervisorResult) => {
    for (const event of result.events) emitter.emit(event);
  };
  const base: ConnectOptions = { signal, validate: options.validate };
  if (options.maxMessageBytes !== undefined) base.maxMessageBytes = options.maxMessageBytes;
  const recoveries = recoveryRunner<R>(ctx, base, supervisor, intake, dedupe, emitAll);
  const onAbort = () => {
    supervisor.dispatch({ type: 'close' });
    recoveries?.resume();
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
      const connectAt = clock.now();
      const start = supervisor.dispatch({ type: 'connect', at: connectAt });
      emitAll(start);
      if (start.decision.type !== 'connect') return;
      const { attempt, backfillMinutes } = start.decision;
      const url = ctx.urlFor(backfillMinutes);
      supervisor.dispatch({ type: 'connecting', url });
      emitter.emit(connectingEvent(attempt, url, backfillMinutes));

      // When the read that brought the messages being handled completed a frame: what the
      // supervisor counts as received (not when the consumer got to each message).
      let readAt = clock.now();
      const reader = new ConnectionReader(
        clock,
        options.stallTimeoutMs,
        emitter,
        signal,
        (at, bytes) => {
          stats.bytes += bytes;
          stats.lastByteAt = at;
        },
        (at) => {
          readAt = at;
          supervisor.dispatch({ type: 'activity', at });
        },
      );
      let failure: unknown;
      // Set when a delivered post spent the budget: the clean stop after the consumer has it.
      let spent: BudgetExhaustedError | undefined;
      let connection: StreamConnection<unknown> | undefined;
      try {
        const connectOptions = reader.connectOptions(base);
        if (backfillMinutes !== undefined) connectOptions.backfillMinutes = backfillMinutes;
        connection = await ctx.connect(connectOptions);
        reader.attach(connection);
      } catch (error) {
        failure = error;
      }
      // Released once the backfill's replay caught up, or the connection ended.
      let releaseReplay: (() => void) | undefined;
      if (connection !== undefined && !signal.aborted) {
        const upAt = clock.now();
        const up = supervisor.dispatch({ type: 'connected', at: upAt });
        emitter.emit(connectedEvent(attempt, connection));
        // The live connection is up: its backfill is announced, recoveries start (recoverGaps).
        emitAll(up);
        recoveries?.start(up.recover);
        releaseReplay = holdForReplay(dedupe, connectAt, backfillMinutes);
        intake.disconnect = undefined;
        intake.timedItems = false;
        let batch = NO_MESSAGES;
        let next = 0;
        try {
          for (;;) {
            // Posts a recovery replayed come first, between live messages.
            let post = recoveries?.take();
            const at = clock.now();
            if (post === undefined) {
              if (next === batch.length) {
                const read = await reader.read(recoveries?.woken());
                if (read === null) break;
                if (read !== WOKEN) {
                  batch = read;
                  next = 0;
                }
                continue;
              }
              const waiting = recoveries?.waiting ?? 0;
              post = intake.admit(batch[next++]!, at, waiting, reader.bytesWaiting, readAt);
            }
            const fresh = post !== undefined && !intake.duplicate(post, at);
            // Checked after the post that showed the replay caught up went through dedupe.
            if (releaseReplay !== undefined && replayOver(supervisor, intake, at - upAt, options)) {
              releaseReplay();
              releaseReplay = undefined;
            }
            if (post !== undefined && fresh) {
              // Deliver one post. The consumer has it: its time is not the network's silence.
              stats.delivered++;
              spent = meters.delivered(at);
              reader.hold();
              yield post;
              const released = clock.now();
              meters.released(released);
              if (signal.aborted) return;
              if (spent !== undefined) break;
              reader.release(released);
            }
            failure = intake.disconnect;
            if (failure !== undefined) break;
          }
          if (failure === undefined && !reader.stalled && spent === undefined) {
            // A recovery request replays its window, then the server ends it: done.
            if (ctx.recovery) return;
            failure = serverEndedError();
          }
        } catch (error) {
          failure = error;
        }
      }
      releaseReplay?.();
      await reader.close();
      if (signal.aborted) return;
      if (spent !== undefined) {
        // The budget is spent: the consumer has every post, the connection is closed.
        emitter.emit({ type: 'error', error: spent });
        throw spent;
      }
      if (reader.stalled) failure = reader.stallError();
      const failureContext = { supervisor, emitter, clock, signal, reclaim: ctx.reclaim };
      const delayMs = await afterFailure(failureContext, failure, reader.stalled);
      if (delayMs === undefined || signal.aborted) return;
      stats.reconnects++;
      try {
        await sleep(delayMs, clock, signal);
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
    recoveries?.resume();
    ctx.onEnd?.(failed);
  }
}

/**
 * Dedupe's memory, held for a backfill's replay: every key received since
 * the earliest a post it replays can have been created (X counts the
 * minutes back from when the request reached it, after `connectAt`; less a
 * margin for a clock a little off X's) is kept until the replay has caught
 * up. A replay that comes through slowly (a slow link, a client busy
 * parsing) brings posts back longer after their first delivery than the
 * retention (`retainMs`) allows for.
 */
function holdForReplay(
  dedupe: PostDedupe | undefined,
  connectAt: number,
  backfillMinutes: number | undefined,
): (() => void) | undefined {
  if (dedupe === undefined || backfillMinutes === undefined) return undefined;
  return dedupe.hold(connectAt - backfillMinutes * 60_000 - RECOVERY_HOLD_MARGIN_MS);
}

/**
 * The replay's hold can go: the supervisor saw it catch up (an item created
 * since the connection opened). On a stream whose items tell no time, which
 * never shows that, once the connection has been up for the retention: its
 * memory must not grow for as long as the connection lasts.
 */
function replayOver(
  supervisor: StreamSupervisor,
  intake: MessageIntake<unknown>,
  upForMs: number,
  options: ResolvedStreamOptions,
): boolean {
  if (!supervisor.replaying) return true;
  return !intake.timedItems && upForMs >= (options.dedupe?.retainMs ?? 0);
}

/** The runner of `recoverGaps` windows, when the option is on and the stream can open them. */
function recoveryRunner<R>(
  ctx: StreamDriverContext,
  connectOptions: ConnectOptions,
  supervisor: StreamSupervisor,
  intake: MessageIntake<R>,
  dedupe: RecoveryRunnerContext<R>['dedupe'],
  emitAll: (result: SupervisorResult) => void,
): RecoveryRunner<R> | undefined {
  const connectWindow = ctx.connectWindow;
  if (ctx.options.supervision.recoverGaps !== true || connectWindow === undefined) return undefined;
  return new RecoveryRunner<R>({
    signal: ctx.signal,
    connectOptions,
    dedupe,
    connectWindow,
    read: (message) => intake.recovered(message, ctx.clock.now()),
    ended: (id, posts, error) => {
      const result = supervisor.dispatch(
        error === undefined
          ? { type: 'recovery-ended', id, posts }
          : { type: 'recovery-ended', id, posts, error },
      );
      emitAll(result);
      return result.recover;
    },
  });
}
