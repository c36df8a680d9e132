import { isResponseError, ResponseError, type ResponseErrorInit } from '@birdstream/core';

/** What {@link RulesResponseError} is built from (core's `ResponseErrorInit`). */
export type RulesResponseErrorInit = ResponseErrorInit;

/**
 * X answered a rules request with a success status but a body birdstream
 * cannot read: not JSON, or JSON of an unexpected shape (an API change). A
 * core `ResponseError` (so `isPayloadError()` and `isResponseError()` are
 * true) with the HTTP `status` and the `operation`; the body is in `raw`
 * (not enumerable, never serialised).
 */
export class RulesResponseError extends ResponseError {
  override name = 'RulesResponseError';
}

/** True for a {@link RulesResponseError} (from any copy of the package). */
export function isRulesResponseError(value: unknown): value is RulesResponseError {
  return isResponseError(value) && value.name === 'RulesResponseError';
}
