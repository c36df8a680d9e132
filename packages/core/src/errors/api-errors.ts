import { ApiError, type ApiErrorInit, isApiError } from './api-error.js';
import { parseProblemBody } from './problem.js';

/** 400: the request was malformed (bad parameter or field value). Not retried. */
export class BadRequestError extends ApiError {
  override name = 'BadRequestError' as const;
}

/** 401: the bearer token is missing, wrong or revoked. Not retried. */
export class AuthenticationError extends ApiError {
  override name = 'AuthenticationError' as const;
}

/** 403: the app may not use this endpoint (`client-forbidden`, `unsupported-authentication`). Not retried. */
export class ForbiddenError extends ApiError {
  override name = 'ForbiddenError' as const;
}

/** 409 `RuleConfigurationIssue`: the filtered stream has no rules. Add rules first. Not retried. */
export class RuleConfigurationError extends ApiError {
  override name = 'RuleConfigurationError' as const;
}

/** 429 `usage-capped`: the monthly or daily post cap is reached; waiting 15 minutes does not help. Not retried. */
export class UsageCapExceededError extends ApiError {
  override name = 'UsageCapExceededError' as const;
}

/** 429 `TooManyConnections`: another (possibly stale) connection holds the stream. Retried after a long wait. */
export class TooManyConnectionsError extends ApiError {
  override name = 'TooManyConnectionsError' as const;
}

/** 429 rate limit on connection attempts or requests. Retried after `x-rate-limit-reset` or 60 s doubling. */
export class RateLimitError extends ApiError {
  override name = 'RateLimitError' as const;
}

/** 5xx: the server failed. Retried with exponential backoff. */
export class ServerError extends ApiError {
  override name = 'ServerError' as const;
}

const HINTS: Record<string, string> = {
  AuthenticationError:
    'Check the bearer token (an OAuth 2.0 app-only token from the developer portal).',
  ForbiddenError:
    'The app must belong to a Project with access to this endpoint, and stream and rules endpoints accept only an app-only bearer token.',
  RuleConfigurationError:
    'The filtered stream has no rules: add rules first (RulesClient.add() in @birdstream/rules, or `birdstream rules sync`).',
  UsageCapExceededError:
    'The post cap of the plan is reached; the stream cannot resume until the cap period resets.',
  TooManyConnectionsError:
    'Another connection (perhaps a stale one from a process that did not close it) holds the stream.',
};

/**
 * Builds the most specific `ApiError` for a failed response. Problems are
 * classified by their `/2/problems/<name>` suffix and `title`, never by the
 * rate-limit headers (a TooManyConnections 429 arrives with capacity left).
 */
export function createApiError(init: ApiErrorInit): ApiError {
  const withProblem: ApiErrorInit =
    init.problem !== undefined
      ? init
      : { ...init, problem: parseProblemBody(init.bodyText).problem };
  const probe = new ApiError(withProblem);
  const Class = pickClass(probe);
  const hint = HINTS[Class.name];
  const message = hint ? `${probe.message} ${hint}` : probe.message;
  return new Class(withProblem, message);
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

function guard<T extends ApiError>(name: string) {
  return (value: unknown): value is T => isApiError(value) && value.name === name;
}

export const isBadRequestError = guard<BadRequestError>('BadRequestError');
export const isAuthenticationError = guard<AuthenticationError>('AuthenticationError');
export const isForbiddenError = guard<ForbiddenError>('ForbiddenError');
export const isRuleConfigurationError = guard<RuleConfigurationError>('RuleConfigurationError');
export const isUsageCapExceededError = guard<UsageCapExceededError>('UsageCapExceededError');
export const isTooManyConnectionsError = guard<TooManyConnectionsError>('TooManyConnectionsError');
export const isRateLimitError = guard<RateLimitError>('RateLimitError');
export const isServerError = guard<ServerError>('ServerError');
