import type { StreamEventEmitter } from '../client/event-emitter.js';
import type { ResolvedStreamOptions } from '../client/stream-options.js';
import type { StreamStats } from '../client/stream-stats.js';
import { StallError } from '../errors/stall-error.js';
import type { Clock } from '../time/clock.js';
import { sleep } from '../time/sleep.js';
import type { ConnectOptions, StreamConnection } from '../transport/connection-types.js';
import {
  connectedEvent,
  connectingEvent,
  operationalDisconnectError,
  serverEndedError,
  translateMessage,
} from './message-events.js';
import { createPostDedupe } from './post-dedupe.js';
import { StallWatchdog } from './stall-watchdog.js';
import { StreamSupervisor, type SupervisorResult } from './supervisor.js';

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
  const supervisor = new StreamSupervisor({
    maxRetries: options.maxRetries,
    healthyAfterMs: options.healthyAfterMs,
    schedule: options.schedule,
    random: options.random,
    policy: options.policy,
    backfill: options.backfill,
    firstConnection: options.firstConnection,
  });
  const emitAll = (result: SupervisorResult) => {
    for (const event of result.events) emitter.emit(event);
  };
  const onAbort = () => supervisor.dispatch({ type: 'close' });
  signal.addEventListener('abort', onAbort, { once: true });

  try {
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
      let connection: StreamConnection<unknown> | undefined;
      const watchdog = new StallWatchdog(clock, options.stallTimeoutMs, () => {
        stalled = true;
        emitter.emit({ type: 'stalled', timeoutMs: options.stallTimeoutMs });
        void connection?.close();
      });
      // Closing the stream while the consumer holds a post must not leave the timer behind.
      const stopWatchdog = () => watchdog.stop();
      signal.addEventListener('abort', stopWatchdog, { once: true });
      const onBytes = () => {
        const at = clock.now();
        stats.lastByteAt = at;
        supervisor.dispatch({ type: 'activity', at });
        watchdog.touch();
      };

      try {
        const connectOptions: ConnectOptions = { signal, validate: options.validate, onBytes };
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
        supervisor.dispatch({ type: 'connected', at: clock.now() });
        emitter.emit(connectedEvent(attempt, connection));
        watchdog.arm();
        try {
          for await (const message of connection) {
            const translated = translateMessage<R>(message, clock.now());
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
              const key = dedupe === undefined ? undefined : ctx.dedupeKey(post);
              if (dedupe !== undefined && key !== undefined && dedupe.seen(key, clock.now())) {
                stats.duplicates++;
                emitter.emit({ type: 'duplicate', id: key });
              } else {
                stats.delivered++;
                // The consumer has the post: its time is not the network's silence.
                watchdog.disarm();
                yield post;
                if (signal.aborted) return;
                watchdog.arm();
              }
            }
            if (translated.disconnect) {
              supervisor.dispatch({ type: 'operational-disconnect' });
              failure = operationalDisconnectError();
              break;
            }
          }
          if (failure === undefined && !stalled) {
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
        if (stalled) failure = new StallError(options.stallTimeoutMs);
      } else {
        watchdog.stop();
        signal.removeEventListener('abort', stopWatchdog);
      }
      if (signal.aborted) return;

      const result = supervisor.dispatch({
        type: 'failure',
        error: failure ?? serverEndedError(),
        at: clock.now(),
        stalled,
      });
      emitAll(result);
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
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
