import { isAbortedError } from '../errors/aborted-error.js';
import { isApiError } from '../errors/api-error.js';
import {
  isRateLimitError,
  isRuleConfigurationError,
  isTooManyConnectionsError,
  isUsageCapExceededError,
} from '../errors/api-error-subclasses.js';
import { isBirdstreamError } from '../errors/birdstream-error.js';

/**
 * The error classes of X's reconnect guidance (spec §6.1):
 * - `network`: TCP/IP-level trouble, a stall, or a connection that ended — linear backoff.
 * - `http`: an HTTP error worth retrying (5xx and other non-fatal statuses) — exponential from 5 s.
 * - `rate-limit`: HTTP 429 — exponential from 60 s, or later when `x-rate-limit-reset` says so.
 * - `too-many-connections`: 429 `TooManyConnections` — wait for the stale connection to expire.
 * - `fatal`: retrying cannot help (400, 401, 403, 409, usage cap, aborted, bad options).
 */
export type FailureKind = 'network' | 'http' | 'rate-limit' | 'too-many-connections' | 'fatal';

/** Sorts an error into one of X's backoff classes. Unknown non-birdstream errors count as network errors. */
export function classifyFailure(error: unknown): FailureKind {
  if (isAbortedError(error)) return 'fatal';
  if (isApiError(error)) {
    if (isUsageCapExceededError(error) || isRuleConfigurationError(error)) return 'fatal';
    if (isTooManyConnectionsError(error)) return 'too-many-connections';
    if (isRateLimitError(error) || error.status === 429) return 'rate-limit';
    if (error.status === 400 || error.status === 401 || error.status === 403) return 'fatal';
    if (error.status === 404 || error.status === 409 || error.status === 422) return 'fatal';
    return 'http';
  }
  if (isBirdstreamError(error)) {
    return error.code === 'config' || error.code === 'budget' ? 'fatal' : 'network';
  }
  return 'network';
}
