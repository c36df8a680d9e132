import { createPostDedupe } from '../dedupe/post-dedupe.js';
import type { BudgetExhaustedError } from '../errors/budget-exhausted-error.js';
import type { StreamEventEmitter } from '../events/event-emitter.js';
import { itemTime } from '../operate/item-time.js';
import { StreamSupervisor, type SupervisorResult } from '../reconnect/supervisor.js';
import type { Clock } from '../time/clock.js';
import { sleep } from '../time/sleep.js';
import type { ConnectOptions, StreamConnection } from '../transport/connection-types.js';
import { type Batch, ConnectionReader, WOKEN } from './connection-reader.js';
import type { ResolvedStreamOptions } from './driver-options.js';
import {
  connectedEvent,
  connectingEvent,
  operationalDisconnectError,
  serverEndedError,
  translateMessage,
} from './message-events.js';
import { type ReclaimContext, reclaimStale } from './reclaim-stale.js';
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
  connectWindow?: RecoveryRunnerContext['connectWindow'] | undefined;
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
 * connections (each read and watched by a `ConnectionReader`) and the
 * recoveries (a `RecoveryRunner`); every decision — health, back-off,
 * `maxRetries`, the policy hook, backfill, recovery, the first-connection
 * bound — is the supervisor's. Yields posts only; returns when the stream
 * is closed and throws the error that ended it.
 */
export async function* driveStream<R>(ctx: StreamDriverContext): AsyncGenerator<R, void> {
  const { clock, options, emitter, stats, signal } = ctx;
  const dedupe = createPostDedupe(options.dedupe, clock, (overflow) =>
    emitter.emit({ type: 'dedupe-overflow', ...overflow }),
  );
  // Spend (`budget`) and lag (`lag`): told what happens to each message, they emit the events.
  const meters = new StreamMeters(options, emitter, stats, clock.now());
  const supervisor = new StreamSupervisor(options.supervision);
  const emitAll = (result: SupervisorResult) => {
    for (const event of result.events) emitter.emit(event);
  };
  const base: ConnectOptions = { signal, validate: options.validate };
  if (options.maxMessageBytes !== undefined) base.maxMessageBytes = options.maxMessageBytes;
  const connectWindow = ctx.connectWindow;
  const recoveries =
    options.supervision.recoverGaps === true && connectWindow !== undefined
      ? new RecoveryRunner<R>({
          signal,
          connectOptions: base,
          dedupe,
          connectWindow,
          ended: (id, posts, error) => {
            const result = supervisor.dispatch(
              error === undefined
                ? { type: 'recovery-ended', id, posts }
                : { type: 'recovery-ended', id, posts, error },
            );
            emitAll(result);
            return result.recover;
          },
        })
      : undefined;
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
      const start = supervisor.dispatch({ type: 'connect', at: clock.now() });
      emitAll(start);
      if (start.decision.type !== 'connect') return;
      const { attempt, backfillMinutes } = start.decision;
      const url = ctx.urlFor(backfillMinutes);
      supervisor.dispatch({ type: 'connecting', url });
      emitter.emit(connectingEvent(attempt, url, backfillMinutes));

      const reader = new ConnectionReader(clock, options.stallTimeoutMs, emitter, signal, (at) => {
        stats.lastByteAt = at;
        supervisor.dispatch({ type: 'activity', at });
      });
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
      if (connection !== undefined && !signal.aborted) {
        const up = supervisor.dispatch({ type: 'connected', at: clock.now() });
        emitter.emit(connectedEvent(attempt, connection));
        // The live connection is up: its backfill is announced, recoveries start (recoverGaps).
        emitAll(up);
        recoveries?.start(up.recover);
        let batch = NO_MESSAGES;
        let next = 0;
        try {
          for (;;) {
            // Posts a recovery replayed come first, between live messages (dedupe drops repeats).
            let post = recoveries?.take();
            let at: number;
            if (post === undefined) {
              if (next === batch.length) {
                const read = await reader.read(recoveries?.woken());
                if (read === WOKEN) continue;
                if (read === null) break;
                batch = read;
                next = 0;
                continue;
              }
              // One live message: the one place the driver reads what the parser made of it.
              at = clock.now();
              const message = translateMessage<R>(batch[next++]!, at);
              meters.waiting(recoveries?.waiting ?? 0, reader.bytesWaiting);
              meters.tick(at);
              if (message.kind === 'keep-alive') {
                stats.keepAlives++;
                if (emitter.has('keep-alive')) emitter.emit(message.event);
                continue;
              }
              if (message.kind === 'payload-invalid') {
                stats.invalid++;
                emitter.emit(message.event);
                continue;
              }
              stats.received++;
              if (message.errors) emitter.emit(message.errors);
              if (message.disconnect) {
                supervisor.dispatch({ type: 'operational-disconnect' });
                failure = operationalDisconnectError(message.slowReader);
              }
              post = message.post;
              if (post !== undefined) {
                const itemAt = itemTime(post);
                supervisor.dispatch({ type: 'activity', at, itemAt });
                meters.received(at, post, itemAt);
              }
              if (post === undefined || dropDuplicate(post, at)) {
                if (failure !== undefined) break;
                continue;
              }
            } else {
              at = clock.now();
              if (dropDuplicate(post, at)) continue;
            }
            // Deliver one post. The consumer has it: its time is not the network's silence.
            stats.delivered++;
            spent = meters.delivered(at);
            reader.hold();
            yield post;
            meters.released(clock.now());
            if (signal.aborted) return;
            if (spent !== undefined || failure !== undefined) break;
            reader.release();
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
      await reader.close();
      if (signal.aborted) return;
      if (spent !== undefined) {
        // The budget is spent: the consumer has every post, the connection is closed.
        emitter.emit({ type: 'error', error: spent });
        throw spent;
      }
      if (reader.stalled) failure = reader.stallError();

      let result = supervisor.dispatch({
        type: 'failure',
        error: failure ?? serverEndedError(),
        at: clock.now(),
        stalled: reader.stalled,
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
    recoveries?.resume();
    ctx.onEnd?.(failed);
  }

  /**
   * True (and counted, and reported) when an item with this message's key —
   * the endpoint row's `dedupeKey` — was already delivered: live posts and
   * posts a recovery replayed go through the same check.
   */
  function dropDuplicate(message: unknown, at: number): boolean {
    if (dedupe === undefined) return false;
    const key = ctx.dedupeKey(message);
    if (key === undefined || !dedupe.seen(key, at)) return false;
    stats.duplicates++;
    emitter.emit({ type: 'duplicate', id: key });
    return true;
  }
}
