import { ApiError, type ApiErrorInit } from './api-error.js';
import {
  AuthenticationError,
  BadRequestError,
  ForbiddenError,
  RateLimitError,
  RuleConfigurationError,
  ServerError,
  TooManyConnectionsError,
  UsageCapExceededError,
} from './api-error-subclasses.js';
import { parseProblemBody } from './problem.js';

const HINTS: Record<string, string> = {
  AuthenticationError:
    'Check the bearer token (the bearerToken option, or X_BEARER_TOKEN): it must be the OAuth 2.0 app-only bearer token of an App inside a Project.',
  ForbiddenError:
    'The app must belong to a Project with access to this endpoint, and stream and rules endpoints accept only an app-only bearer token.',
  RuleConfigurationError:
    'The filtered stream has no rules: add rules first (RulesClient.add() in @birdstream/rules, or `birdstream rules sync`).',
  TooManyConnectionsError:
    'Another connection (perhaps a stale one from a process that did not close it) holds the stream.',
};

/**
 * Builds the most specific `ApiError` for a failed response. Problems are
 * classified by their `/2/problems/<name>` suffix and `title`, never by the
 * rate-limit headers (a TooManyConnections 429 arrives with capacity left).
 * The message is one or two sentences, each ending with a full stop. With
 * `init.scrubber`, every text of the error (message, `detail`, `bodyText`,
 * `problem`) is scrubbed of the registered secrets. A transport of your own
 * gets birdstream's typed errors from it; tests build them with it.
 *
 * @example
 * ```ts
 * const error = createApiError({ status: 401, headers: {}, bodyText: '{"title":"Unauthorized"}' });
 * isAuthenticationError(error); // true
 * ```
 */
export function createApiError(init: ApiErrorInit): ApiError {
  const { scrubber } = init;
  // Scrubbed before the message quotes (and perhaps shortens) any of it.
  const bodyText = scrubber ? scrubber.scrub(init.bodyText) : init.bodyText;
  const problem = init.problem ?? parseProblemBody(bodyText).problem;
  const withProblem: ApiErrorInit = {
    ...init,
    bodyText,
    problem: scrubber ? scrubber.scrubValue(problem) : problem,
  };
  const probe = new ApiError(withProblem);
  const Class = pickClass(probe);
  const hint = Class === UsageCapExceededError ? usageCapHint(probe) : HINTS[Class.name];
  const message = hint ? `${asSentence(probe.message)} ${hint}` : asSentence(probe.message);
  const error = new Class(withProblem, message);
  return scrubber ? scrubber.scrubError(error) : error;
}

function pickClass(error: ApiError): typeof ApiError {
  const { status, problemType, title, connectionIssue } = error;
  if (status === 429 || connectionIssue !== undefined) {
    if (problemType === 'usage-capped' || title === 'UsageCapExceeded')
      return UsageCapExceededError;
    if (connectionIssue === 'TooManyConnections') return TooManyConnectionsError;
    if (connectionIssue === 'RuleConfigurationIssue' || connectionIssue === 'RulesInvalidIssue') {
      return RuleConfigurationError;
    }
    if (status === 429) return RateLimitError;
  }
  if (status === 400) return BadRequestError;
  if (status === 401) return AuthenticationError;
  if (status === 403) return ForbiddenError;
  if (status === 409) return RuleConfigurationError;
  if (status >= 500) return ServerError;
  return ApiError;
}

/**
 * When a `usage-capped` cap resets, as far as X says: the problem's
 * `period` (`Daily`: the next UTC midnight; `Monthly`: the next billing
 * month) or else the `x-rate-limit-reset` header.
 */
function usageCapHint(error: ApiError): string {
  const period = error.problem?.period;
  const base =
    'The post cap of the plan is reached; the stream cannot resume until the cap period resets';
  if (period === 'Daily') {
    return `${base}: this is the daily cap, which resets at the next UTC midnight. Waiting 15 minutes does not help; reconnect after midnight UTC or raise the cap in the developer portal.`;
  }
  if (period === 'Monthly') {
    return `${base}: this is the monthly cap, which resets when the next billing month starts. Waiting 15 minutes does not help; raise the cap or upgrade the plan in the developer portal.`;
  }
  const resetAt = error.rateLimit?.resetAtMs;
  if (resetAt !== undefined) {
    return `${base}; X's x-rate-limit-reset says ${new Date(resetAt).toISOString()}.`;
  }
  return `${base}.`;
}

/** `text` ending with a full stop (or the `?`, `!` or `…` it already ends with). */
function asSentence(text: string): string {
  const trimmed = text.trimEnd();
  return /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
