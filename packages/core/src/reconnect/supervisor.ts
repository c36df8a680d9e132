import type { KillResult } from '../admin/admin-schemas.js';
import { isApiError } from '../errors/api-error.js';
import { TooManyConnectionsError } from '../errors/api-error-subclasses.js';
import { type BirdstreamError, isBirdstreamError } from '../errors/birdstream-error.js';
import { ConnectionError } from '../errors/connection-error.js';
import { isStallError } from '../errors/stall-error.js';
import type {
  BackfillEvent,
  DisconnectedEvent,
  ReclaimedEvent,
  ReconnectingEvent,
  RecoveryEvent,
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

/** How far back X's Recovery (`start_time`) reaches: 24 hours. */
export const RECOVERY_HORIZON_MS = 24 * 60 * 60_000;
/** X runs at most 2 recovery jobs at once. */
export const MAX_RECOVERY_JOBS = 2;
/**
 * How far a recovery window reaches past each end of the gap, so nothing
 * falls between it and the live stream: before the last post received (X
 * may have created posts it had not sent yet) and after where the backfill
 * starts (X counts `backfill_minutes` from when the request reaches it).
 * Also how far inside X's 24 hours a window starts, so it is still within
 * them when the request arrives. The overlap is redelivered and dropped by
 * dedupe.
 */
export const RECOVERY_MARGIN_MS = 60_000;

/** A gap to replay with `start_time`/`end_time` (epoch ms; the driver rounds to seconds). */
export interface RecoveryWindow {
  readonly id: number;
  readonly startTime: number;
  readonly endTime: number;
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
  /**
   * Recover outages longer than the 5-minute backfill window (up to 24 h)
   * with `start_time`/`end_time` requests beside the live stream. @default false
   */
  recoverGaps?: boolean | undefined;
  /**
   * Everything created before this time (epoch ms) was received before this
   * stream started (by an earlier process, or another worker): the first
   * connection is then a reconnect after an outage since this time (backfill,
   * and with `recoverGaps` a recovery beyond 5 minutes). @default undefined
   */
  resumeFrom?: number | undefined;
  /**
   * On a 429 TooManyConnections, ask the driver to kill stale connections
   * (decision `reclaim`) before backing off, once per episode. @default false
   */
  reclaim?: boolean | undefined;
}

/** What a driver tells the supervisor. Times are the driver's clock, epoch ms. */
export type SupervisorAction =
  /** The driver is about to open a connection (the first, or after a back-off). */
  | { type: 'connect'; at: number }
  /** The request for this connection goes to `url` (for messages; never credentials). */
  | { type: 'connecting'; url: string }
  /** The server answered 200. */
  | { type: 'connected'; at: number }
  /**
   * Bytes arrived (a post, a keep-alive, any message). For an item, `itemAt`
   * is when it was created (`itemTime()`): while a connection replays a
   * backfill, only item times say how far the replay has got.
   */
  | { type: 'activity'; at: number; itemAt?: number | undefined }
  /** X announced an `operational-disconnect` on this connection. */
  | { type: 'operational-disconnect' }
  /** The attempt or the connection failed. `stalled` defaults to `isStallError(error)`. */
  | { type: 'failure'; error: unknown; at: number; stalled?: boolean }
  /** A recovery window's request ended (`error` when it failed), after `posts` posts. */
  | { type: 'recovery-ended'; id: number; posts: number; error?: unknown }
  /**
   * The driver's answer to a `reclaim` decision: what it killed (`successful`
   * of them terminated), how many listed connections it `kept`, why, and the
   * listing or kill `error` if one failed.
   */
  | {
      type: 'reclaimed';
      at: number;
      killed: readonly KillResult[];
      successful: number;
      kept: number;
      reason: string;
      error?: unknown;
    }
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
  /**
   * A 429 TooManyConnections with `reclaim` on: list the app's connections
   * to this endpoint, kill the stale ones, then dispatch `reclaimed`.
   */
  | { type: 'reclaim'; error: BirdstreamError }
  /** End the stream with `error`. */
  | { type: 'stop'; error: BirdstreamError }
  /** The stream is closed: release everything, emit nothing more. */
  | { type: 'closed' };

/** The events the supervisor emits: the ones about supervision, never about messages. */
export type SupervisionEvent =
  | BackfillEvent
  | DisconnectedEvent
  | ReclaimedEvent
  | ReconnectingEvent
  | RecoveryEvent;

/** One dispatch's result: a decision and the lifecycle events to emit, in order. */
export interface SupervisorResult {
  decision: SupervisorDecision;
  events: readonly SupervisionEvent[];
  /** Recovery windows to start now, beside the live connection (at most 2 run at once). */
  recover?: readonly RecoveryWindow[];
}

/** The supervisor's state, readable for tests and diagnostics. */
export interface SupervisorState {
  readonly phase: 'idle' | 'connecting' | 'connected' | 'reclaiming' | 'waiting' | 'stopped';
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
  /** Everything created before this time was received: where the next backfill must reach back to. */
  readonly coveredUntil: number | undefined;
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
 *   (`backfillMinutesFor`) since the stream was last covered: the last byte
 *   of a live connection, or, while a connection was still replaying a
 *   backfill, the newest item it replayed; flagged when it exceeds X's
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
  /** Everything created before this time has been received (the backfill's reference point). */
  #coveredUntil: number | undefined;
  /** The current connection replays a backfill that has not caught up with the time it opened. */
  #replaying = false;
  #announcedDisconnect = false;
  #url: string | undefined;
  #failingSince: number | undefined;
  #recoveryIds = 0;
  #recoveryQueue: RecoveryWindow[] = [];
  #recoveryRunning = new Map<number, RecoveryWindow>();
  /** Where the reconnect's backfill will start: the gap before it is planned once the connection is up. */
  #pendingRecovery: { coveredFrom: number } | undefined;
  /** A reclaim was tried since the last connection: the next 429 backs off (no kill loop). */
  #reclaimTried = false;
  /** The 429 a `reclaim` decision answers. */
  #reclaimFor: BirdstreamError | undefined;

  constructor(config: SupervisorConfig) {
    this.#config = config;
    this.#coveredUntil = config.resumeFrom;
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
      coveredUntil: this.#coveredUntil,
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
        this.#lastActivityAt = action.at;
        this.#reclaimTried = false;
        return this.#up(action.at);
      case 'activity': {
        // A source without a `connected` answer (a custom Observable): its first byte is the connection.
        const result = this.#connectedAt === undefined ? this.#up(action.at) : CONTINUE;
        this.#lastActivityAt = action.at;
        this.#cover(action.at, action.itemAt);
        return result;
      }
      case 'operational-disconnect':
        this.#announcedDisconnect = true;
        return CONTINUE;
      case 'failure':
        return this.#failure(action.error, action.at, action.stalled);
      case 'recovery-ended':
        return this.#recoveryEnded(action.id, action.posts, action.error);
      case 'reclaimed':
        return this.#reclaimed(action);
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
    // A first connection with nothing received before it (no `resumeFrom`) has no outage to replay.
    const fresh = first && this.#coveredUntil === undefined;
    if (fresh || backfill === false) {
      const decision: SupervisorDecision = {
        type: 'connect',
        attempt: this.#attempt,
        backfillMinutes: undefined,
      };
      if (!fresh) this.#pendingRecovery = { coveredFrom: at };
      return { decision, events: [] };
    }
    const outageMs = at - (this.#coveredUntil ?? this.#startedAt);
    const minutes = backfill === 'auto' ? backfillMinutesFor(outageMs) : backfill;
    this.#replaying = true;
    const events: SupervisionEvent[] = [
      { type: 'backfill', minutes, outageMs, exceedsWindow: exceedsWindow(outageMs) },
    ];
    this.#pendingRecovery = { coveredFrom: at - minutes * 60_000 };
    const decision: SupervisorDecision = {
      type: 'connect',
      attempt: this.#attempt,
      backfillMinutes: minutes,
    };
    return { decision, events };
  }

  /**
   * The live connection is up. The part of the outage its backfill does not
   * cover becomes a recovery (with `recoverGaps`): planned once per outage,
   * here rather than at each attempt, so an outage of many failed attempts
   * is one recovery, not one failed recovery per attempt.
   */
  #up(at: number): SupervisorResult {
    this.#connectedAt = at;
    this.#everConnected = true;
    this.#phase = 'connected';
    const pending = this.#pendingRecovery;
    this.#pendingRecovery = undefined;
    if (pending === undefined) return CONTINUE;
    const events: SupervisionEvent[] = [];
    const recover = this.#planRecovery(at, pending.coveredFrom, events);
    if (events.length === 0) return CONTINUE;
    return recover.length > 0
      ? { decision: CONTINUE.decision, events, recover }
      : { decision: CONTINUE.decision, events };
  }

  /**
   * With `recoverGaps`, the part of the outage that backfill does not cover
   * (before `coveredFrom`) becomes a recovery window, up to 24 h back; older
   * posts are reported `unrecoverable`. Returns the windows to start now.
   */
  #planRecovery(at: number, coveredFrom: number, events: SupervisionEvent[]): RecoveryWindow[] {
    if (this.#config.recoverGaps !== true) return [];
    const gapStart = this.#coveredUntil ?? this.#startedAt ?? at;
    // Backfill covers up to 5 minutes; only a longer outage needs a recovery.
    if (at - gapStart <= BACKFILL_WINDOW_MS || coveredFrom <= gapStart) return [];
    // A margin inside X's 24 hours: the request must still be within them when it arrives.
    const horizon = at - RECOVERY_HORIZON_MS + RECOVERY_MARGIN_MS;
    if (gapStart < horizon) {
      events.push({
        type: 'recovery',
        phase: 'unrecoverable',
        startTime: gapStart,
        endTime: Math.min(horizon, coveredFrom),
      });
    }
    const startTime = Math.max(gapStart - RECOVERY_MARGIN_MS, horizon);
    if (startTime < coveredFrom) {
      const endTime = Math.min(coveredFrom + RECOVERY_MARGIN_MS, at);
      const window: RecoveryWindow = { id: ++this.#recoveryIds, startTime, endTime };
      this.#recoveryQueue.push(window);
    }
    // Recovered, or reported lost: either way the next outage's gap starts where the backfill does.
    this.#coveredUntil = Math.max(this.#coveredUntil ?? coveredFrom, coveredFrom);
    return this.#startRecoveries(events);
  }

  #startRecoveries(events: SupervisionEvent[]): RecoveryWindow[] {
    const started: RecoveryWindow[] = [];
    while (this.#recoveryQueue.length > 0 && this.#recoveryRunning.size < MAX_RECOVERY_JOBS) {
      const window = this.#recoveryQueue.shift()!;
      this.#recoveryRunning.set(window.id, window);
      started.push(window);
      events.push({
        type: 'recovery',
        phase: 'started',
        startTime: window.startTime,
        endTime: window.endTime,
      });
    }
    for (const window of this.#recoveryQueue) {
      if (!events.some((e) => e.type === 'recovery' && e.startTime === window.startTime)) {
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

  #recoveryEnded(id: number, posts: number, error: unknown): SupervisorResult {
    const window = this.#recoveryRunning.get(id);
    if (window === undefined) return CONTINUE;
    this.#recoveryRunning.delete(id);
    const events: SupervisionEvent[] = [
      error === undefined
        ? {
            type: 'recovery',
            phase: 'completed',
            startTime: window.startTime,
            endTime: window.endTime,
            posts,
          }
        : {
            type: 'recovery',
            phase: 'failed',
            startTime: window.startTime,
            endTime: window.endTime,
            posts,
            error: asBirdstreamError(error),
          },
    ];
    const recover = this.#startRecoveries(events);
    return recover.length > 0
      ? { decision: CONTINUE.decision, events, recover }
      : { decision: CONTINUE.decision, events };
  }

  /**
   * Coverage, for sizing the next backfill. A live connection covers up to
   * its last byte. A connection that replays a backfill covers only up to
   * the newest item it replayed (replays come oldest first), until an item
   * created after it opened proves the replay has caught up: a connection
   * that dies mid-replay must not make the next backfill start after the
   * items it never got to.
   */
  #cover(at: number, itemAt: number | undefined): void {
    if (!this.#replaying) {
      this.#coveredUntil = at;
      return;
    }
    if (itemAt === undefined) return;
    if (itemAt >= (this.#connectedAt ?? at)) {
      this.#replaying = false;
      this.#coveredUntil = at;
    } else if (this.#coveredUntil === undefined || itemAt > this.#coveredUntil) {
      this.#coveredUntil = itemAt;
    }
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
    // Stale connections (a crashed process's) hold the slot: with `reclaim`,
    // the driver kills them first, once per episode.
    if (this.#config.reclaim === true && !this.#reclaimTried && isTooManyConnections(reason)) {
      this.#reclaimTried = true;
      this.#reclaimFor = reason;
      this.#phase = 'reclaiming';
      return { decision: { type: 'reclaim', error: reason }, events };
    }
    return this.#backOff(reason, at, atOnce, events);
  }

  /**
   * The driver reclaimed: with at least one connection killed, reconnect at
   * once (the slot is free; X's policy hook is not asked, the caller opted
   * in); otherwise X's policy for the 429, as without `reclaim`.
   */
  #reclaimed(action: Extract<SupervisorAction, { type: 'reclaimed' }>): SupervisorResult {
    const reason = this.#reclaimFor;
    if (this.#phase !== 'reclaiming' || reason === undefined) return CONTINUE;
    this.#reclaimFor = undefined;
    const event: ReclaimedEvent = {
      type: 'reclaimed',
      killed: action.killed,
      kept: action.kept,
      reason: action.reason,
    };
    if (action.error !== undefined) event.error = asBirdstreamError(action.error);
    const events: SupervisionEvent[] = [event];
    if (action.successful === 0) return this.#backOff(reason, action.at, false, events);
    const attempt = this.#attempt + 1;
    this.#failingSince ??= action.at;
    if (attempt > this.#config.maxRetries) {
      markGaveUp(reason, attempt, action.at - this.#failingSince);
      return this.#stop(reason, events);
    }
    this.#attempt = attempt;
    this.#phase = 'waiting';
    events.push({ type: 'reconnecting', attempt, delayMs: 0, reason, failure: 'http' });
    return { decision: { type: 'reconnect', delayMs: 0, attempt, kind: 'http' }, events };
  }

  /** X's back-off for `reason` (and the policy hook, and `maxRetries`). */
  #backOff(
    reason: BirdstreamError,
    at: number,
    atOnce: boolean,
    events: SupervisionEvent[],
  ): SupervisorResult {
    const kind = classifyFailure(reason);
    const failingSince = this.#failingSince ?? at;
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
      markGaveUp(reason, attempt, at - failingSince);
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

function isTooManyConnections(error: BirdstreamError): boolean {
  return (
    error instanceof TooManyConnectionsError ||
    (isApiError(error) && error.connectionIssue === 'TooManyConnections')
  );
}

/** Narrows a lifecycle event to the ones the supervisor emits. */
export function isSupervisionEvent(event: StreamLifecycleEvent): event is SupervisionEvent {
  return (
    event.type === 'backfill' ||
    event.type === 'disconnected' ||
    event.type === 'reconnecting' ||
    event.type === 'reclaimed' ||
    event.type === 'recovery'
  );
}
