import type { StreamEventEmitter } from '../client/event-emitter.js';
import type { ResolvedStreamOptions } from '../client/stream-options.js';
import type { StreamStats } from '../client/stream-stats.js';
import { isOperationalDisconnect } from '../decode/index.js';
import { IdWindow } from '../dedupe/id-window.js';
import { type BirdstreamError, isBirdstreamError } from '../errors/birdstream-error.js';
import { ConnectionError } from '../errors/connection-error.js';
import type { ProblemDetails } from '../errors/problem.js';
import { StallError } from '../errors/stall-error.js';
import type { Clock } from '../time/clock.js';
import { sleep } from '../time/sleep.js';
import type { ConnectOptions, StreamConnection } from '../transport/connection-types.js';
import { classifyFailure } from './classify.js';
import {
  type BackoffState,
  backfillMinutesFor,
  INITIAL_BACKOFF,
  nextReconnectDelay,
} from './policy.js';
import { StallWatchdog } from './stall-watchdog.js';

/** X keeps at most 5 minutes for `backfill_minutes`. */
const BACKFILL_WINDOW_MS = 5 * 60_000;

/** The shape the loop reads from any stream message. */
interface MessageLike {
  data?: { id?: unknown } | undefined;
  errors?: readonly unknown[] | undefined;
}

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
  /** The URL a connection with this backfill would use (for the `connecting` event). */
  urlFor(backfillMinutes: number | undefined): string;
  /** Opens one connection (StreamClient.connect). */
  connect(options: ConnectOptions): Promise<StreamConnection<unknown>>;
}

/** Wraps anything thrown into a birdstream error (unknown throwables are network-level failures). */
function asBirdstreamError(error: unknown): BirdstreamError {
  if (isBirdstreamError(error)) return error;
  return new ConnectionError(
    `The stream failed unexpectedly (${error instanceof Error ? error.message : String(error)}).`,
    { cause: error },
  );
}

/**
 * The self-healing stream: connect, deliver posts, and on any failure
 * reconnect as X's policy says (`nextReconnectDelay`), with backfill,
 * dedupe, the stall watchdog and lifecycle events. Yields posts only; it
 * returns when the stream is closed and throws the error that ended it
 * (fatal, or `maxRetries` exhausted).
 */
export async function* reconnectLoop<R>(ctx: ReconnectLoopContext): AsyncGenerator<R, void> {
  const { clock, options, emitter, stats, signal } = ctx;
  const dedupe = options.dedupeWindow > 0 ? new IdWindow(options.dedupeWindow) : undefined;
  const startedAt = clock.now();
  let state: BackoffState = INITIAL_BACKOFF;
  /** Reconnects since the last healthy connection (0 while healthy). */
  let attempt = 0;
  let first = true;

  while (!signal.aborted) {
    let backfillMinutes: number | undefined;
    if (!first && options.backfill !== false) {
      const outageMs = clock.now() - (stats.lastByteAt ?? startedAt);
      backfillMinutes =
        options.backfill === 'auto' ? backfillMinutesFor(outageMs) : options.backfill;
      emitter.emit({
        type: 'backfill',
        minutes: backfillMinutes,
        outageMs,
        exceedsWindow: outageMs > BACKFILL_WINDOW_MS,
      });
    }
    first = false;
    const url = ctx.urlFor(backfillMinutes);
    emitter.emit(
      backfillMinutes === undefined
        ? { type: 'connecting', attempt, url }
        : { type: 'connecting', attempt, url, backfillMinutes },
    );

    let failure: BirdstreamError | undefined;
    let healthy = false;
    let operationalDisconnect = false;
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
    let lastByteAt: number | undefined;
    const onBytes = () => {
      lastByteAt = clock.now();
      stats.lastByteAt = lastByteAt;
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
      failure = asBirdstreamError(error);
    }

    if (connection && signal.aborted) {
      watchdog.stop();
      signal.removeEventListener('abort', stopWatchdog);
      await connection.close();
      return;
    }
    if (connection) {
      const connectedAt = clock.now();
      emitter.emit(
        connection.rateLimit === undefined
          ? { type: 'connected', attempt, status: connection.status, headers: connection.headers }
          : {
              type: 'connected',
              attempt,
              status: connection.status,
              headers: connection.headers,
              rateLimit: connection.rateLimit,
            },
      );
      watchdog.arm();
      let endedByServer = false;
      try {
        for await (const message of connection) {
          if (message.type === 'keep-alive') {
            stats.keepAlives++;
            if (emitter.has('keep-alive')) emitter.emit({ type: 'keep-alive', at: clock.now() });
            continue;
          }
          if (message.type === 'payload-invalid') {
            stats.invalid++;
            emitter.emit({ type: 'payload-invalid', error: message.error });
            continue;
          }
          stats.received++;
          const response = message.response as MessageLike;
          let disconnect = false;
          if (response.errors !== undefined && response.errors.length > 0) {
            disconnect = isOperationalDisconnect(response);
            emitter.emit({
              type: 'stream-errors',
              errors: response.errors as ProblemDetails[],
              withData: response.data !== undefined,
              disconnect,
            });
          }
          const data = response.data;
          if (data !== undefined) {
            if (dedupe !== undefined && typeof data.id === 'string' && dedupe.seen(data.id)) {
              stats.duplicates++;
              emitter.emit({ type: 'duplicate', id: data.id });
            } else {
              stats.delivered++;
              // The consumer has the post: its time is not the network's silence.
              watchdog.disarm();
              yield message.response as R;
              if (signal.aborted) return;
              watchdog.arm();
            }
          }
          if (disconnect) {
            operationalDisconnect = true;
            failure = new ConnectionError(
              'X ended the stream for operational reasons (operational-disconnect); reconnecting.',
            );
            break;
          }
        }
        endedByServer = failure === undefined && !stalled;
      } catch (error) {
        failure = asBirdstreamError(error);
      } finally {
        watchdog.stop();
        signal.removeEventListener('abort', stopWatchdog);
        await connection.close();
      }
      if (signal.aborted) return;
      if (stalled) failure = new StallError(options.stallTimeoutMs);
      if (endedByServer) {
        // A recovery request replays its window, then the server ends it: done.
        if (ctx.recovery) return;
        failure = new ConnectionError('The server ended the stream; reconnecting.');
      }
      const durationMs = clock.now() - connectedAt;
      // A stalled connection was alive only until its last byte.
      const aliveMs = stalled ? (lastByteAt ?? connectedAt) - connectedAt : durationMs;
      healthy = aliveMs >= options.healthyAfterMs;
      emitter.emit({ type: 'disconnected', reason: failure, durationMs, healthy });
    } else {
      watchdog.stop();
      signal.removeEventListener('abort', stopWatchdog);
    }
    if (signal.aborted) return;

    const reason = failure ?? new ConnectionError('The stream connection ended; reconnecting.');
    if (healthy) {
      attempt = 0;
      state = INITIAL_BACKOFF;
    }
    // An operational disconnect asks for an immediate reconnect, but only
    // once in a row: a server that keeps disconnecting gets the backoff.
    const reconnectAtOnce = healthy || (operationalDisconnect && attempt === 0);
    const decision = nextReconnectDelay({
      error: reason,
      state,
      afterHealthyConnection: reconnectAtOnce,
      now: clock.now(),
      schedule: options.schedule,
      random: options.random,
    });
    attempt++;
    let delayMs: number | undefined = decision.retry ? decision.delayMs : undefined;
    if (options.policy) {
      const override = options.policy({
        error: reason,
        kind: decision.kind,
        attempt,
        defaultDelayMs: delayMs,
      });
      if (override === false) delayMs = undefined;
      else if (typeof override === 'number' && Number.isFinite(override)) {
        delayMs = Math.max(0, override);
      }
    }
    if (delayMs === undefined || attempt > options.maxRetries) {
      emitter.emit({ type: 'error', error: reason });
      throw reason;
    }
    if (decision.retry) state = decision.state;
    stats.reconnects++;
    const kind = classifyFailure(reason);
    emitter.emit({
      type: 'reconnecting',
      attempt,
      delayMs,
      reason,
      failure: kind === 'fatal' ? (reason.code === 'api' ? 'http' : 'network') : kind,
    });
    try {
      await sleep(delayMs, clock, signal);
    } catch {
      return; // closed while waiting
    }
  }
}
