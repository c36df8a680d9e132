import { type ApiError, ConnectionError, createApiError } from '@birdstream/core';
import { readFixtureText } from '@birdstream/test-utils';

/** An ApiError built from a recorded error body, as core's client would build it. */
export function apiErrorFromFixture(
  status: number,
  fixture: string,
  headers: Record<string, string> = {},
): ApiError {
  return createApiError({
    status,
    headers,
    bodyText: readFixtureText(`errors/${fixture}`),
    operation: 'connect to the filtered stream',
  });
}

/** A network-level failure (the socket was reset). */
export const networkError = () =>
  new ConnectionError('The connection to the filtered stream was interrupted (terminated).', {
    cause: new TypeError('terminated'),
  });

/** HTTP 503 without a body: a retryable server error. */
export const serverError = () =>
  createApiError({ status: 503, headers: {}, bodyText: 'Service Unavailable' });

/** HTTP 429 with the JSON body seen in 2021. */
export const rateLimitError = (headers: Record<string, string> = {}) =>
  apiErrorFromFixture(429, 'rest_429_too_many_requests_json_2021.json', headers);

/** HTTP 429 TooManyConnections (2020 recording). */
export const tooManyConnectionsError = () =>
  apiErrorFromFixture(429, 'stream_connect_429_too_many_connections_2020.json', {
    'x-rate-limit-limit': '50',
    'x-rate-limit-remaining': '47',
  });

/** HTTP 401: fatal. */
export const authenticationError = () =>
  apiErrorFromFixture(401, 'rules_get_401_unauthorized.json');

/** HTTP 409 RuleConfigurationIssue: fatal. */
export const noRulesError = () =>
  apiErrorFromFixture(409, 'stream_connect_409_rule_configuration_issue_no_rules.json');

/** HTTP 429 usage-capped: fatal. */
export const usageCappedError = () =>
  apiErrorFromFixture(429, 'usage_capped_429_monthly_product_cap_2026.json');
