// The ApiError subclasses, one per failure class, and their guards. createApiError picks one.
import { ApiError, isApiError } from './api-error.js';

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

function guard<T extends ApiError>(name: string) {
  return (value: unknown): value is T => isApiError(value) && value.name === name;
}

/** True for a {@link BadRequestError}, from any copy of birdstream. */
export const isBadRequestError = guard<BadRequestError>('BadRequestError');
/** True for a {@link AuthenticationError}, from any copy of birdstream. */
export const isAuthenticationError = guard<AuthenticationError>('AuthenticationError');
/** True for a {@link ForbiddenError}, from any copy of birdstream. */
export const isForbiddenError = guard<ForbiddenError>('ForbiddenError');
/** True for a {@link RuleConfigurationError}, from any copy of birdstream. */
export const isRuleConfigurationError = guard<RuleConfigurationError>('RuleConfigurationError');
/** True for a {@link UsageCapExceededError}, from any copy of birdstream. */
export const isUsageCapExceededError = guard<UsageCapExceededError>('UsageCapExceededError');
/** True for a {@link TooManyConnectionsError}, from any copy of birdstream. */
export const isTooManyConnectionsError = guard<TooManyConnectionsError>('TooManyConnectionsError');
/** True for a {@link RateLimitError}, from any copy of birdstream. */
export const isRateLimitError = guard<RateLimitError>('RateLimitError');
/** True for a {@link ServerError}, from any copy of birdstream. */
export const isServerError = guard<ServerError>('ServerError');
