import { isApiError } from '../errors/api-error.js';
import { TooManyConnectionsError } from '../errors/api-error-subclasses.js';
import { type BirdstreamError, isBirdstreamError } from '../errors/birdstream-error.js';
import { classifyFailure } from '../errors/classify-failure.js';
import { ConnectionError } from '../errors/connection-error.js';
import { isStallError } from '../errors/stall-error.js';
import type {
  BackfillEvent,
  ReclaimedEvent,
  ReconnectingEvent,
  RecoveryEvent,
} from '../events/lifecycle.js';
import { BACKFILL_WINDOW_MS, backfillFor, backfillReaches, deliveryLagMargin } from './backfill.js';
import { FirstConnectionError, formatDuration } from './first-connection-error.js';
import { type BackoffState, INITIAL_BACKOFF, nextReconnectDelay } from './policy.js';
import { RecoveryJobs, type RecoveryWindow } from './recovery-plan.js';
import { DEFAULT_FIRST_CONNECTION, type SupervisorConfig } from './supervision-options.js';
import type {
  SupervisionEvent,
  SupervisorAction,
  SupervisorDecision,
  SupervisorResult,
} from './supervision-protocol.js';

/**
 * Where the supervisor is, with what belongs to that phase alone: a
 * connection being opened knows the backfill it asked for and where that
 * backfill starts; a connection that is up knows when it came up, whether it
 * still replays a backfill and whether X announced its end; a reclaim knows
 * the 429 it answers.
 */
type Phase =
  | { readonly name: 'idle' }
  | {
      readonly name: 'connecting';
      /** The backfill this request asks for, announced once the connection is up. */
      readonly backfill: BackfillEvent | undefined;
      /** Its `backfill_minutes` (0 without backfill). */
      readonly minutes: number;
      /**
       * Where what this request must bring back starts: the last time
       * covered less the delivery-lag margin (`undefined` on a first
       * connection with nothing to replay). Checked once the connection is
       * up, and planned for recovery when it falls short.
       */
      readonly needFrom: number | undefined;
      /** The delivery-lag margin `needFrom` was taken with (`deliveryLagMargin`). */
      readonly edgeMs: number;
    }
  | {
      readonly name: 'connected';
      readonly at: number;
      /** It replays a backfill that has not caught up with the time it opened. */
      replaying: boolean;
      /** X announced an operational disconnect on it. */
      announcedDisconnect: boolean;
    }
  | {
      readonly name: 'reclaiming';
      /** The 429 the reclaim answers. */
      readonly error: BirdstreamError;
    }
  | { readonly name: 'waiting' }
  | { readonly name: 'stopped' };

/** The supervisor's state, readable for tests and diagnostics. */
export interface SupervisorState {
  readonly phase: Phase['name'];
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
  /**
   * The delivery lag last measured on a live connection: when the frame
   * carrying its newest item was read, less that item's creation time.
   */
  readonly deliveryLagMs: number | undefined;
  /** X announced an operational disconnect on the current connection. */
  readonly announcedDisconnect: boolean;
  /** The backfill the connection being opened asked for (announced once it is up). */
  readonly backfill: BackfillEvent | undefined;
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
const IDLE: Phase = Object.freeze({ name: 'idle' });
const WAITING: Phase = Object.freeze({ name: 'waiting' });
const STOPPED: Phase = Object.freeze({ name: 'stopped' });

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
 * - **Backfill**: on each reconnect, `backfill_minutes` sized to reach back
 *   over the outage since the stream was last covered (the last frame of a
 *   live connection, or, while a connection was still replaying a backfill,
 *   the newest item it replayed), with margins at both edges
 *   (`backfillFor`, `backfill.ts`): the delivery lag before the drop and the
 *   time until the request reaches X, which counts the minutes from then.
 *   Once the connection is up, the backfill is checked against when it came
 *   up (`backfillReaches`); flagged `exceedsWindow` when it falls short. The
 *   `backfill` event is announced once the connection that asked for it is
 *   up, not at each attempt.
 * - **Recovery** (`recoverGaps`): planned once per outage, when its live
 *   connection is up and its backfill fell short (`recovery-plan.ts`), from
 *   the same margin-adjusted coverage, so nothing falls between them.
 */
export class StreamSupervisor {
  readonly #config: SupervisorConfig;
  readonly #first: { maxAttempts: number; maxElapsedMs: number; hint: string | undefined };
  #phase: Phase = IDLE;
  #attempt = 0;
  #backoff: BackoffState = INITIAL_BACKOFF;
  #startedAt: number | undefined;
  #everConnected = false;
  #unreached = 0;
  #lastActivityAt: number | undefined;
  /** Everything created before this time has been received (the backfill's reference point). */
  #coveredUntil: number | undefined;
  /** The delivery lag last measured on a live connection (see `SupervisorState.deliveryLagMs`). */
  #lagMs: number | undefined;
  /** Creation time of the newest item received live: only a newer one measures the lag. */
  #newestItemAt: number | undefined;
  #url: string | undefined;
  #failingSince: number | undefined;
  readonly #recoveries = new RecoveryJobs();
  /** A reclaim was tried since the last connection: the next 429 backs off (no kill loop). */
  #reclaimTried = false;

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
    const phase = this.#phase;
    return {
      phase: phase.name,
      attempt: this.#attempt,
      backoff: this.#backoff,
      startedAt: this.#startedAt,
      everConnected: this.#everConnected,
      unreachedAttempts: this.#unreached,
      connectedAt: phase.name === 'connected' ? phase.at : undefined,
      lastActivityAt: this.#lastActivityAt,
      coveredUntil: this.#coveredUntil,
      deliveryLagMs: this.#lagMs,
      announcedDisconnect: phase.name === 'connected' && phase.announcedDisconnect,
      backfill: phase.name === 'connecting' ? phase.backfill : undefined,
      url: this.#url,
      failingSince: this.#failingSince,
    };
  }

  /**
   * True while the connection that is up replays a backfill that has not yet
   * caught up with the time it opened (an item created since has not come).
   */
  get replaying(): boolean {
    return this.#phase.name === 'connected' && this.#phase.replaying;
  }

  /** True once the stream stopped or was closed: every later action is ignored. */
  get stopped(): boolean {
    return this.#phase.name === 'stopped';
  }

  dispatch(action: SupervisorAction): SupervisorResult {
    if (this.#phase.name === 'stopped') return action.type === 'close' ? CLOSED : CONTINUE;
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
        const result = this.#phase.name === 'connected' ? CONTINUE : this.#up(action.at);
        this.#lastActivityAt = action.at;
        this.#cover(action.at, action.itemAt);
        return result;
      }
      case 'operational-disconnect':
        if (this.#phase.name === 'connected') this.#phase.announcedDisconnect = true;
        return CONTINUE;
      case 'failure':
        return this.#failure(action.error, action.at, action.stalled);
      case 'recovery-ended':
        return this.#recoveryEnded(action.id, action.posts, action.error);
      case 'reclaimed':
        return this.#reclaimed(action);
      case 'close':
        this.#phase = STOPPED;
        return CLOSED;
    }
  }

  #connect(at: number): SupervisorResult {
    const first = this.#phase.name === 'idle';
    this.#startedAt ??= at;
    const backfill = this.#config.backfill;
    const coveredUntil = this.#coveredUntil ?? this.#startedAt;
    // A first connection with nothing received before it (no `resumeFrom`) has no outage to replay.
    const fresh = first && this.#coveredUntil === undefined;
    // Posts created shortly before the last frame read may not have been received yet.
    const edgeMs = deliveryLagMargin(this.#lagMs);
    const needFrom = fresh ? undefined : coveredUntil - edgeMs;
    if (needFrom === undefined || backfill === false) {
      this.#phase = { name: 'connecting', backfill: undefined, minutes: 0, needFrom, edgeMs };
      return {
        decision: { type: 'connect', attempt: this.#attempt, backfillMinutes: undefined },
        events: [],
      };
    }
    const outageMs = at - coveredUntil;
    const { minutes, exceedsWindow } = backfillFor(backfill, at, needFrom);
    this.#phase = {
      name: 'connecting',
      backfill: { type: 'backfill', minutes, outageMs, exceedsWindow },
      minutes,
      needFrom,
      edgeMs,
    };
    return {
      decision: { type: 'connect', attempt: this.#attempt, backfillMinutes: minutes },
      events: [],
    };
  }

  /**
   * The live connection is up: the backfill it asked for is announced, and
   * the part of the outage that backfill does not cover becomes a recovery
   * (with `recoverGaps`) — once per outage, here rather than at each
   * attempt, so an outage of many failed attempts is one recovery, not one
   * failed recovery per attempt.
   */
  #up(at: number): SupervisorResult {
    const opening = this.#phase;
    this.#everConnected = true;
    this.#phase = {
      name: 'connected',
      at,
      replaying: opening.name === 'connecting' && opening.backfill !== undefined,
      announcedDisconnect: false,
    };
    if (opening.name !== 'connecting') return CONTINUE;
    const events: SupervisionEvent[] = [];
    const { minutes, needFrom, edgeMs } = opening;
    let backfill = opening.backfill;
    // X counted the minutes back from when the request reached it, which was no later than now:
    // a request that came up later than the margin allowed may not reach back far enough.
    if (
      backfill !== undefined &&
      needFrom !== undefined &&
      !backfill.exceedsWindow &&
      !backfillReaches(at, minutes, needFrom)
    ) {
      backfill = { ...backfill, exceedsWindow: true };
    }
    if (backfill !== undefined) events.push(backfill);
    let recover: RecoveryWindow[] | undefined;
    if (this.#config.recoverGaps === true && needFrom !== undefined) {
      // Without backfill, only an outage longer than the backfill window is recovered.
      const short =
        backfill !== undefined ? backfill.exceedsWindow : at - needFrom > BACKFILL_WINDOW_MS;
      if (short) {
        // Where this reconnect surely covers from: its backfill counted back from now, or now.
        const coveredFrom = at - minutes * 60_000;
        const gapStart = this.#coveredUntil ?? this.#startedAt ?? at;
        const recoveryEvents: RecoveryEvent[] = [];
        recover = this.#recoveries.plan(at, gapStart, coveredFrom, edgeMs, recoveryEvents);
        // Recovered, or reported lost: either way the next outage's gap starts where the backfill does.
        this.#coveredUntil = Math.max(this.#coveredUntil ?? coveredFrom, coveredFrom);
        events.push(...recoveryEvents);
      }
    }
    if (events.length === 0) return CONTINUE;
    return recover !== undefined && recover.length > 0
      ? { decision: CONTINUE.decision, events, recover }
      : { decision: CONTINUE.decision, events };
  }

  #recoveryEnded(id: number, posts: number, error: unknown): SupervisorResult {
    const events: RecoveryEvent[] = [];
    const recover = this.#recoveries.ended(
      id,
      posts,
      error === undefined ? undefined : asBirdstreamError(error),
      events,
    );
    if (recover === undefined) return CONTINUE;
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
    const phase = this.#phase;
    if (phase.name !== 'connected' || !phase.replaying) {
      this.#coveredUntil = at;
      this.#measureLag(at, itemAt);
      return;
    }
    if (itemAt === undefined) return;
    if (itemAt >= phase.at) {
      phase.replaying = false;
      this.#coveredUntil = at;
      this.#measureLag(at, itemAt);
    } else if (this.#coveredUntil === undefined || itemAt > this.#coveredUntil) {
      this.#coveredUntil = itemAt;
    }
  }

  /**
   * The delivery lag of a live item read at `at`: only an item newer than
   * any before it measures it (a late straggler is not the stream's lag).
   */
  #measureLag(at: number, itemAt: number | undefined): void {
    if (itemAt === undefined) return;
    if (this.#newestItemAt !== undefined && itemAt <= this.#newestItemAt) return;
    this.#newestItemAt = itemAt;
    this.#lagMs = at - itemAt;
  }

  #failure(error: unknown, at: number, stalledFlag: boolean | undefined): SupervisorResult {
    const reason = asBirdstreamError(error);
    const stalled = stalledFlag ?? isStallError(reason);
    const events: SupervisionEvent[] = [];
    const phase = this.#phase;
    let healthy = false;
    let announced = false;
    if (phase.name === 'connected') {
      const durationMs = at - phase.at;
      // A stalled connection was alive only until its last byte.
      const aliveMs = stalled ? (this.#lastActivityAt ?? phase.at) - phase.at : durationMs;
      healthy = aliveMs >= this.#config.healthyAfterMs;
      announced = phase.announcedDisconnect;
      events.push({ type: 'disconnected', reason, durationMs, healthy });
    }
    // How the attempt ended, for the `reconnecting` event: a connection that was up was lost;
    // an HTTP answer refused it; anything else never reached a server.
    const previous: ReconnectingEvent['previous'] =
      phase.name === 'connected' ? 'lost' : isApiError(reason) ? 'refused' : 'unreachable';
    this.#phase = WAITING;
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
    const atOnce = healthy || (announced && this.#attempt === 0);
    // Stale connections (a crashed process's) hold the slot: with `reclaim`,
    // the driver kills them first, once per episode.
    if (this.#config.reclaim === true && !this.#reclaimTried && isTooManyConnections(reason)) {
      this.#reclaimTried = true;
      this.#phase = { name: 'reclaiming', error: reason };
      return { decision: { type: 'reclaim', error: reason }, events };
    }
    return this.#backOff(reason, at, atOnce, previous, events);
  }

  /**
   * The driver reclaimed: with at least one connection killed, reconnect at
   * once (the slot is free; X's policy hook is not asked, the caller opted
   * in); otherwise X's policy for the 429, as without `reclaim`.
   */
  #reclaimed(action: Extract<SupervisorAction, { type: 'reclaimed' }>): SupervisorResult {
    const phase = this.#phase;
    if (phase.name !== 'reclaiming') return CONTINUE;
    const reason = phase.error;
    this.#phase = WAITING;
    const event: ReclaimedEvent = {
      type: 'reclaimed',
      killed: action.killed,
      kept: action.kept,
      reason: action.reason,
    };
    if (action.error !== undefined) event.error = asBirdstreamError(action.error);
    const events: SupervisionEvent[] = [event];
    if (action.successful === 0) return this.#backOff(reason, action.at, false, 'refused', events);
    const attempt = this.#attempt + 1;
    this.#failingSince ??= action.at;
    if (attempt > this.#config.maxRetries) {
      markGaveUp(reason, attempt, action.at - this.#failingSince);
      return this.#stop(reason, events);
    }
    this.#attempt = attempt;
    events.push({
      type: 'reconnecting',
      attempt,
      delayMs: 0,
      reason,
      failure: 'http',
      previous: 'refused',
    });
    return { decision: { type: 'reconnect', delayMs: 0, attempt, kind: 'http' }, events };
  }

  /** X's back-off for `reason` (and the policy hook, and `maxRetries`). */
  #backOff(
    reason: BirdstreamError,
    at: number,
    atOnce: boolean,
    previous: ReconnectingEvent['previous'],
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
    // A fatal error retried by the policy hook backs off under the class it looks like.
    const failure = kind === 'fatal' ? (reason.code === 'api' ? 'http' : 'network') : kind;
    events.push({ type: 'reconnecting', attempt, delayMs, reason, failure, previous });
    return { decision: { type: 'reconnect', delayMs, attempt, kind: failure }, events };
  }

  #stop(error: BirdstreamError, events: SupervisionEvent[]): SupervisorResult {
    this.#phase = STOPPED;
    return { decision: { type: 'stop', error }, events };
  }
}

function isTooManyConnections(error: BirdstreamError): boolean {
  return (
    error instanceof TooManyConnectionsError ||
    (isApiError(error) && error.connectionIssue === 'TooManyConnections')
  );
}
