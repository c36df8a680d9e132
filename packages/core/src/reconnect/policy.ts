import { isApiError } from '../errors/api-error.js';
import { classifyFailure, type FailureKind } from '../errors/classify-failure.js';

/**
 * The numbers of X's documented reconnect schedule (spec §6.1). Every field
 * can be overridden; the defaults are X's.
 */
export interface ReconnectSchedule {
  /** Network errors back off linearly by this much per consecutive failure. @default 250 */
  networkStepMs: number;
  /** Cap of the linear network backoff. @default 16_000 */
  networkMaxMs: number;
  /** First delay after a retryable HTTP error, doubled per consecutive failure. @default 5_000 */
  httpInitialMs: number;
  /** Cap of the HTTP backoff. @default 320_000 */
  httpMaxMs: number;
  /** First delay after a 429, doubled per consecutive 429. @default 60_000 */
  rateLimitInitialMs: number;
  /** Cap of the 429 backoff (a later `x-rate-limit-reset` still wins). @default 960_000 */
  rateLimitMaxMs: number;
  /**
   * Random extra delay, as a fraction of the computed delay (0.1 adds up to
   * 10 %). X's schedule has none, so the default is 0; fleets of clients
   * should set some to avoid reconnecting in lockstep. @default 0
   */
  jitter: number;
}

export const X_RECONNECT_SCHEDULE: Readonly<ReconnectSchedule> = Object.freeze({
  networkStepMs: 250,
  networkMaxMs: 16_000,
  httpInitialMs: 5_000,
  httpMaxMs: 320_000,
  rateLimitInitialMs: 60_000,
  rateLimitMaxMs: 960_000,
  jitter: 0,
});

/** Consecutive failures per backoff class since the last healthy connection. */
export interface BackoffState {
  readonly network: number;
  readonly http: number;
  readonly rateLimit: number;
}

export const INITIAL_BACKOFF: BackoffState = Object.freeze({ network: 0, http: 0, rateLimit: 0 });

/** What `nextReconnectDelay` needs to decide. */
export interface ReconnectInput {
  /** Why the last attempt or connection ended. */
  error: unknown;
  /** Backoff counters so far (start with `INITIAL_BACKOFF`). */
  state: BackoffState;
  /**
   * True when the error ended a connection that had been healthy (open at
   * least `healthyAfterMs`). X asks to reconnect at once in that case, and
   * the counters reset.
   */
  afterHealthyConnection: boolean;
  /** The current time in epoch ms (for `x-rate-limit-reset`). */
  now: number;
  schedule?: Partial<ReconnectSchedule> | undefined;
  /** Source of randomness for jitter, in [0, 1). @default Math.random */
  random?: (() => number) | undefined;
}

export type ReconnectDecision =
  | { retry: false; kind: 'fatal' }
  | { retry: true; kind: Exclude<FailureKind, 'fatal'>; delayMs: number; state: BackoffState };

/**
 * X's reconnect policy as a pure function: given why a connection failed,
 * how many times each kind of failure happened in a row, and the time, it
 * returns whether to retry, after how long, and the new counters. Core's
 * async iterator and rx's `retryStream` both run this one function.
 */
export function nextReconnectDelay(input: ReconnectInput): ReconnectDecision {
  const kind = classifyFailure(input.error);
  if (kind === 'fatal') return { retry: false, kind };
  const s = { ...X_RECONNECT_SCHEDULE, ...input.schedule };

  if (input.afterHealthyConnection) {
    return { retry: true, kind, delayMs: 0, state: INITIAL_BACKOFF };
  }

  let delayMs: number;
  let state: BackoffState;
  switch (kind) {
    case 'network': {
      const n = input.state.network + 1;
      delayMs = Math.min(n * s.networkStepMs, s.networkMaxMs);
      state = { ...input.state, network: n };
      break;
    }
    case 'http': {
      const n = input.state.http + 1;
      delayMs = Math.min(s.httpInitialMs * 2 ** (n - 1), s.httpMaxMs);
      state = { ...input.state, http: n };
      break;
    }
    case 'rate-limit':
    case 'too-many-connections': {
      const n = input.state.rateLimit + 1;
      delayMs = Math.min(s.rateLimitInitialMs * 2 ** (n - 1), s.rateLimitMaxMs);
      const resetAtMs = isApiError(input.error) ? input.error.rateLimit?.resetAtMs : undefined;
      // Only trust the reset header when the window is really exhausted: a
      // TooManyConnections 429 arrives with capacity left (spec §5.1).
      const exhausted = isApiError(input.error) && input.error.rateLimit?.remaining === 0;
      if (resetAtMs !== undefined && (kind === 'rate-limit' || exhausted)) {
        delayMs = Math.max(delayMs, resetAtMs - input.now);
      }
      state = { ...input.state, rateLimit: n };
      break;
    }
  }
  if (s.jitter > 0 && delayMs > 0) {
    delayMs += Math.floor(delayMs * s.jitter * (input.random ?? Math.random)());
  }
  return { retry: true, kind, delayMs, state };
}

/** What a custom policy hook sees. */
export interface ReconnectContext {
  error: unknown;
  kind: FailureKind;
  /** 1 for the first reconnect after a failure, counting up until a connection is healthy again. */
  attempt: number;
  /** The delay X's policy would use, or `undefined` when it would stop (fatal error). */
  defaultDelayMs: number | undefined;
}

/**
 * Overrides the reconnect decision. Return a delay in ms to retry, `false`
 * to stop and throw the error, or `undefined` to use X's policy.
 */
export type ReconnectPolicyHook = (context: ReconnectContext) => number | false | undefined;
