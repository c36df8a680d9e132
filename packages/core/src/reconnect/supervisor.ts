import { isApiError } from '../errors/api-error.js';
import { type BirdstreamError, isBirdstreamError } from '../errors/birdstream-error.js';
import { ConnectionError } from '../errors/connection-error.js';
import { isStallError } from '../errors/stall-error.js';
import type {
  BackfillEvent,
  DisconnectedEvent,
  ReconnectingEvent,
  StreamLifecycleEvent,
} from '../events/lifecycle.js';
import { classifyFailure, type FailureKind } from './classify.js';
import { FirstConnectionError, formatDuration } from './first-connection-error.js';
import {
  type BackoffState,
  backfillMinutesFor,
  INITIAL_BACKOFF,
  nextReconnectDelay,
  type ReconnectPolicyHook,
  type ReconnectSchedule,
} from './policy.js';

/** X keeps at most 5 minutes for `backfill_minutes`. */
export const BACKFILL_WINDOW_MS = 5 * 60_000;

/** True when an outage was longer than X's 5-minute backfill window (posts may be lost). */
export function exceedsWindow(outageMs: number): boolean {
  return outageMs > BACKFILL_WINDOW_MS;
}

/** Backfill on reconnect: `'auto'` (the outage, 1–5 minutes), a fixed 1–5, or `false`. */
export type BackfillSetting = 'auto' | 1 | 2 | 3 | 4 | 5 | false;

/**
 * The bound on a stream that has never connected: it ends with a
 * `FirstConnectionError` after `maxAttempts` failed attempts or
 * `maxElapsedMs` since the first one, whichever comes first. Only failures
 * that never reached an HTTP server count (DNS, refused, TLS, timeout,
 * proxy, reset); an HTTP answer such as 429 or 503 proves the URL is right
 * and follows X's policy.
 */
export interface FirstConnectionBound {
  /** Failed attempts before giving up; `Infinity` turns the bound off. @default 10 */
  maxAttempts?: number;
  /** Time from the first attempt before giving up, ms. @default 120_000 */
  maxElapsedMs?: number;
  /** Advice in the error (`FirstConnectionError.hint`); the default names SDK options. @default per cause */
  hint?: string;
}

export const DEFAULT_FIRST_CONNECTION: Readonly<Required<Omit<FirstConnectionBound, 'hint'>>> =
  Object.freeze({ maxAttempts: 10, maxElapsedMs: 120_000 });

/** Everything the supervisor decides by. */
export interface SupervisorConfig {
  /** Reconnects in a row without a healthy connection before it stops. */
  maxRetries: number;
  /** A connection alive (last byte, not last event) this long counts as healthy. */
  healthyAfterMs: number;
  schedule?: Partial<ReconnectSchedule> | undefined;
  random?: (() => number) | undefined;
  /** The policy hook; it receives the error as a `BirdstreamError` (anything else is wrapped). */
  policy?: ReconnectPolicyHook | undefined;
  backfill: BackfillSetting;
  firstConnection?: FirstConnectionBound | undefined;
}

/** What a driver tells the supervisor. Times are the driver's clock, epoch ms. */
export type SupervisorAction =
  /** The driver is about to open a connection (the first, or after a back-off). */
  | { type: 'connect'; at: number }
  /** The request for this connection goes to `url` (for messages; never credentials). */
  | { type: 'connecting'; url: string }
  /** The server answered 200. */
  | { type: 'connected'; at: number }
  /** Bytes arrived (a post, a keep-alive, any message). */
  | { type: 'activity'; at: number }
  /** X announced an `operational-disconnect` on this connection. */
  | { type: 'operational-disconnect' }
  /** The attempt or the connection failed. `stalled` defaults to `isStallError(error)`. */
  | { type: 'failure'; error: unknown; at: number; stalled?: boolean }
  /** The consumer closed the stream. */
  | { type: 'close' };

/** What the driver must do next. */
export type SupervisorDecision =
  /** Nothing changes: keep reading. */
  | { type: 'continue' }
  /** Open a connection now with these `attempt` and `backfillMinutes` (for `connecting`). */
  | { type: 'connect'; attempt: number; backfillMinutes: number | undefined }
  /** Wait `delayMs`, then dispatch `connect`. */
  | { type: 'reconnect'; delayMs: number; attempt: number; kind: Exclude<FailureKind, 'fatal'> }
  /** End the stream with `error`. */
  | { type: 'stop'; error: BirdstreamError }
  /** The stream is closed: release everything, emit nothing more. */
  | { type: 'closed' };

/** The events the supervisor emits: the ones about supervision, never about messages. */
export type SupervisionEvent = BackfillEvent | DisconnectedEvent | ReconnectingEvent;

/** One dispatch's result: a decision and the lifecycle events to emit, in order. */
export interface SupervisorResult {
  decision: SupervisorDecision;
  events: readonly SupervisionEvent[];
}

/** The supervisor's state, readable for tests and diagnostics. */
export interface SupervisorState {
  readonly phase: 'idle' | 'connecting' | 'connected' | 'waiting' | 'stopped';
  /** Reconnects since the last healthy connection (what `connecting.attempt` reports). */
  readonly attempt: number;
  readonly backoff: BackoffState;
  /** Time of the first `connect`. */
  readonly startedAt: number | undefined;
  /** True once any connection was made (or any byte arrived). */
  readonly everConnected: boolean;
  /** Failed attempts that never reached a server, before the first connection. */
  readonly unreachedAttempts: number;
  /** Time the current connection was made, if it is up. */
  readonly connectedAt: number | undefined;
  /** Time of the last byte from the server, across connections. */
  readonly lastActivityAt: number | undefined;
  /** X announced an operational disconnect on the current connection. */
  readonly announcedDisconnect: boolean;
  /** The URL of the current or last request. */
  readonly url: string | undefined;
  /** Time of the current (or last) failed run's first failure, for the give-up message. */
  readonly failingSince: number | undefined;
}

const CONTINUE: SupervisorResult = Object.freeze({
  decision: Object.freeze({ type: 'continue' }) as SupervisorDecision,
  events: Object.freeze([]) as readonly SupervisionEvent[],
});
const CLOSED: SupervisorResult = Object.freeze({
  decision: Object.freeze({ type: 'closed' }) as SupervisorDecision,
  events: Object.freeze([]) as readonly SupervisionEvent[],
});

/** Wraps anything thrown into a birdstream error (unknown throwables are network-level failures). */
export function asBirdstreamError(error: unknown): BirdstreamError {
  if (isBirdstreamError(error)) return error;
  return new ConnectionError(
    `The stream failed unexpectedly (${error instanceof Error ? error.message : String(error)}).`,
    { cause: error },
  );
}

const GAVE_UP = Symbol.for('birdstream.gaveUp');

/**
 * Adds "gave up after N attempts over T" to the last error's message, once.
 * The error keeps its class and fields (an `ApiError` stays one), so code
 * that checks `isServerError(error)` or `error.status` keeps working.
 */
function markGaveUp(error: BirdstreamError, attempts: number, elapsedMs: number): void {
  if ((error as unknown as Record<symbol, unknown>)[GAVE_UP] === true) return;
  Object.defineProperty(error, GAVE_UP, { value: true, enumerable: false });
  const tries = `${attempts} attempt${attempts === 1 ? '' : 's'}`;
  // "…; reconnecting." is no longer true of the last error.
  const message = error.message.replace(/;\s*reconnecting\.$/, '.');
  error.message = `${message} Gave up after ${tries} over ${formatDuration(elapsedMs)} without a healthy connection (maxRetries); the last error is this one.`;
}

/**
 * The one reconnect supervisor of birdstream: a synchronous state machine
 * with no timers and no I/O. A driver (core's `for await` loop, rx's
 * `retryStream`) tells it what happened with `dispatch(action)` and gets
 * back what to do and which lifecycle events to emit; the driver owns time
 * (a `Clock`, an RxJS scheduler) and the connections. Every supervision rule
 * lives here and nowhere else:
 *
 * - **Health**: a connection is healthy when it stayed alive for
 *   `healthyAfterMs`. Alive means until its last byte when it stalled (a
 *   keep-alive followed by a 30 s stall is not healthy), until the failure
 *   otherwise. A healthy drop reconnects at once and resets the back-off and
 *   the attempt count (which `maxRetries` bounds).
 * - **Operational disconnect**: X's in-band `operational-disconnect`
 *   reconnects at once, but only once in a row.
 * - **Back-off**: X's schedule per failure class (`nextReconnectDelay`).
 * - **Policy hook**: called with `{ error, kind, attempt, defaultDelayMs }`
 *   where `error` is always a `BirdstreamError` (a foreign error arrives
 *   wrapped in a `ConnectionError` whose `cause` is the original), in both
 *   core and rx. A number overrides the delay, `false` stops, `undefined`
 *   keeps X's policy.
 * - **maxRetries**: one more reconnect than allowed stops with the last
 *   error, whose message then says that it gave up, after how many attempts
 *   over how long.
 * - **First connection**: a stream that never reached a server stops with a
 *   `FirstConnectionError` after a small bound (`firstConnection`).
 * - **Backfill**: on each reconnect, `backfill_minutes` sized to the outage
 *   since the last byte (`backfillMinutesFor`), flagged when it exceeds X's
 *   5-minute window.
 */
export class StreamSupervisor {
  readonly #config: SupervisorConfig;
  readonly #first: { maxAttempts: number; maxElapsedMs: number; hint: string | undefined };
  #phase: SupervisorState['phase'] = 'idle';
  #attempt = 0;
  #backoff: BackoffState = INITIAL_BACKOFF;
  #startedAt: number | undefined;
  #everConnected = false;
  #unreached = 0;
  #connectedAt: number | undefined;
  #lastActivityAt: number | undefined;
  #announcedDisconnect = false;
  #url: string | undefined;
  #failingSince: number | undefined;

  constructor(config: SupervisorConfig) {
    this.#config = config;
    this.#first = {
      maxAttempts: config.firstConnection?.maxAttempts ?? DEFAULT_FIRST_CONNECTION.maxAttempts,
      maxElapsedMs: config.firstConnection?.maxElapsedMs ?? DEFAULT_FIRST_CONNECTION.maxElapsedMs,
      hint: config.firstConnection?.hint,
    };
  }

  get state(): SupervisorState {
    return {
      phase: this.#phase,
      attempt: this.#attempt,
      backoff: this.#backoff,
      startedAt: this.#startedAt,
      everConnected: this.#everConnected,
      unreachedAttempts: this.#unreached,
      connectedAt: this.#connectedAt,
      lastActivityAt: this.#lastActivityAt,
      announcedDisconnect: this.#announcedDisconnect,
      url: this.#url,
      failingSince: this.#failingSince,
    };
  }

  /** True once the stream stopped or was closed: every later action is ignored. */
  get stopped(): boolean {
    return this.#phase === 'stopped';
  }

  dispatch(action: SupervisorAction): SupervisorResult {
    if (this.#phase === 'stopped') return action.type === 'close' ? CLOSED : CONTINUE;
    switch (action.type) {
      case 'connect':
        return this.#connect(action.at);
      case 'connecting':
        this.#url = action.url;
        return CONTINUE;
      case 'connected':
        this.#connectedAt = action.at;
        this.#lastActivityAt = action.at;
        this.#everConnected = true;
        this.#phase = 'connected';
        return CONTINUE;
      case 'activity':
        this.#lastActivityAt = action.at;
        // A source without a `connected` answer (a custom Observable): its first byte is the connection.
        if (this.#connectedAt === undefined) {
          this.#connectedAt = action.at;
          this.#everConnected = true;
          this.#phase = 'connected';
        }
        return CONTINUE;
      case 'operational-disconnect':
        this.#announcedDisconnect = true;
        return CONTINUE;
      case 'failure':
        return this.#failure(action.error, action.at, action.stalled);
      case 'close':
        this.#phase = 'stopped';
        return CLOSED;
    }
  }

  #connect(at: number): SupervisorResult {
    const first = this.#startedAt === undefined;
    this.#startedAt ??= at;
    this.#phase = 'connecting';
    this.#connectedAt = undefined;
    this.#announcedDisconnect = false;
    const backfill = this.#config.backfill;
    if (first || backfill === false) {
      return {
        decision: { type: 'connect', attempt: this.#attempt, backfillMinutes: undefined },
        events: [],
      };
    }
    const outageMs = at - (this.#lastActivityAt ?? this.#startedAt);
    const minutes = backfill === 'auto' ? backfillMinutesFor(outageMs) : backfill;
    return {
      decision: { type: 'connect', attempt: this.#attempt, backfillMinutes: minutes },
      events: [{ type: 'backfill', minutes, outageMs, exceedsWindow: exceedsWindow(outageMs) }],
    };
  }

  #failure(error: unknown, at: number, stalledFlag: boolean | undefined): SupervisorResult {
    const reason = asBirdstreamError(error);
    const stalled = stalledFlag ?? isStallError(reason);
    const events: SupervisionEvent[] = [];
    let healthy = false;
    const connectedAt = this.#connectedAt;
    if (connectedAt !== undefined) {
      const durationMs = at - connectedAt;
      // A stalled connection was alive only until its last byte.
      const aliveMs = stalled ? (this.#lastActivityAt ?? connectedAt) - connectedAt : durationMs;
      healthy = aliveMs >= this.#config.healthyAfterMs;
      events.push({ type: 'disconnected', reason, durationMs, healthy });
    }
    this.#connectedAt = undefined;
    this.#startedAt ??= at;
    if (healthy) {
      this.#attempt = 0;
      this.#backoff = INITIAL_BACKOFF;
      this.#failingSince = undefined;
    }
    this.#failingSince ??= at;

    const kind = classifyFailure(reason);
    // The first-connection bound: only failures that never reached a server count.
    if (!this.#everConnected && kind === 'network' && !isApiError(reason)) {
      this.#unreached++;
      if (
        this.#unreached >= this.#first.maxAttempts ||
        at - this.#startedAt >= this.#first.maxElapsedMs
      ) {
        return this.#stop(
          new FirstConnectionError({
            url: this.#url,
            attempts: this.#unreached,
            elapsedMs: at - this.#startedAt,
            lastError: reason,
            hint: this.#first.hint,
          }),
          events,
        );
      }
    }

    // An operational disconnect asks for an immediate reconnect, but only
    // once in a row: a server that keeps disconnecting gets the back-off.
    const atOnce = healthy || (this.#announcedDisconnect && this.#attempt === 0);
    this.#announcedDisconnect = false;
    const policy = nextReconnectDelay({
      error: reason,
      state: this.#backoff,
      afterHealthyConnection: atOnce,
      now: at,
      schedule: this.#config.schedule,
      random: this.#config.random,
    });
    const attempt = this.#attempt + 1;
    let delayMs: number | undefined = policy.retry ? policy.delayMs : undefined;
    if (this.#config.policy) {
      const override = this.#config.policy({
        error: reason,
        kind: policy.kind,
        attempt,
        defaultDelayMs: delayMs,
      });
      if (override === false) delayMs = undefined;
      else if (typeof override === 'number' && Number.isFinite(override)) {
        delayMs = Math.max(0, override);
      }
    }
    if (delayMs === undefined) return this.#stop(reason, events);
    if (attempt > this.#config.maxRetries) {
      markGaveUp(reason, attempt, at - this.#failingSince);
      return this.#stop(reason, events);
    }
    if (policy.retry) this.#backoff = policy.state;
    this.#attempt = attempt;
    this.#phase = 'waiting';
    // A fatal error retried by the policy hook backs off under the class it looks like.
    const failure = kind === 'fatal' ? (reason.code === 'api' ? 'http' : 'network') : kind;
    events.push({ type: 'reconnecting', attempt, delayMs, reason, failure });
    return { decision: { type: 'reconnect', delayMs, attempt, kind: failure }, events };
  }

  #stop(error: BirdstreamError, events: SupervisionEvent[]): SupervisorResult {
    this.#phase = 'stopped';
    return { decision: { type: 'stop', error }, events };
  }
}

/** Narrows a lifecycle event to the ones the supervisor emits. */
export function isSupervisionEvent(event: StreamLifecycleEvent): event is SupervisionEvent {
  return (
    event.type === 'backfill' || event.type === 'disconnected' || event.type === 'reconnecting'
  );
}
