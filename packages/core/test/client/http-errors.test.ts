import {
  type ApiError,
  AuthenticationError,
  BadRequestError,
  ForbiddenError,
  isApiError,
  RuleConfigurationError,
  StreamClient,
  UsageCapExceededError,
} from '@birdstream/core';
import { ManualClock, recordedResponse, useMswServer } from '@birdstream/test-utils';
import { http } from 'msw';
import { describe, expect, test } from 'vitest';
import { ofType, recordEvents, typesOf } from '../helpers/events.js';
import { FILTER } from '../helpers/stream-server.js';

const server = useMswServer();

/** A recorded error response (a fresh one per call: a body is read once). */
function recorded(file: string, fallbackStatus?: number): Response {
  const response = recordedResponse(`errors/${file}`, fallbackStatus);
  if (file.startsWith('usage_capped')) {
    // reported with the body in the issue (index.json "where"): capacity left, still capped
    response.headers.set('x-rate-limit-limit', '40000');
    response.headers.set('x-rate-limit-remaining', '39999');
  }
  return response;
}

const FATAL: [string, string, typeof ApiError, RegExp][] = [
  [
    'tweets_lookup_400_too_many_ids.json',
    '400',
    BadRequestError,
    /^X API 400 Invalid Request while trying to connect to the filtered stream: One or more parameters/,
  ],
  [
    'rules_get_401_unauthorized.json',
    '401',
    AuthenticationError,
    /401 Unauthorized.*Check the bearer token/,
  ],
  [
    'stream_connect_403_client_forbidden_not_enrolled_2024.json',
    '403',
    ForbiddenError,
    /403 Client Forbidden.*attached to a Project/,
  ],
  [
    'unsupported_authentication_403_user_context_forbidden.json',
    '403',
    ForbiddenError,
    /403 Unsupported Authentication.*app-only bearer token/,
  ],
  [
    'stream_connect_409_rule_configuration_issue_no_rules.json',
    '409',
    RuleConfigurationError,
    /409 ConnectionException \(RuleConfigurationIssue\).*add rules first/,
  ],
  [
    'usage_capped_429_monthly_product_cap_2026.json',
    '429',
    UsageCapExceededError,
    /429 UsageCapExceeded.*cap period resets/,
  ],
];

describe('fatal HTTP errors end the stream with a typed error, without a retry', () => {
  test.each(FATAL)('%s → %s %o', async (file, _status, ErrorClass, message) => {
    const clock = new ManualClock();
    const { status } = recorded(file);
    expect(String(status)).toBe(_status);
    let requests = 0;
    server.use(
      http.get(FILTER, () => {
        requests++;
        return recorded(file);
      }),
    );
    const stream = new StreamClient({ bearerToken: 'token', clock }).filter();
    const events = recordEvents(stream);
    const error = await (async () => {
      for await (const _ of stream) throw new Error('no post expected');
    })().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ErrorClass);
    expect(isApiError(error)).toBe(true);
    expect((error as ApiError).status).toBe(status);
    expect((error as Error).message).toMatch(message);
    expect(requests).toBe(1);
    expect(clock.pendingTimers).toBe(0);
    expect(typesOf(events)).toEqual(['connecting', 'error', 'closed']);
    expect(ofType(events, 'error')[0]?.error).toBe(error);
    expect(ofType(events, 'closed')[0]?.error).toBe(error);
    expect(stream.closed).toBe(true);
  });

  test('the 409 error carries the parsed problem', async () => {
    server.use(
      http.get(FILTER, () => recorded('stream_connect_409_rule_configuration_issue_no_rules.json')),
    );
    const error = (await (async () => {
      for await (const _ of new StreamClient({ bearerToken: 't' }).filter());
    })().catch((e: unknown) => e)) as RuleConfigurationError;
    expect(error.problemType).toBe('streaming-connection');
    expect(error.connectionIssue).toBe('RuleConfigurationIssue');
    expect(error.detail).toMatch(/You must define rules/);
  });
});

describe('retryable HTTP errors are classified, not thrown', () => {
  test.each([
    ['rest_429_rate_limit_plaintext_2020.txt', 'RateLimitError', 'rate-limit'],
    ['rest_429_too_many_requests_json_2021.json', 'RateLimitError', 'rate-limit'],
    [
      'stream_connect_429_too_many_connections_2020.json',
      'TooManyConnectionsError',
      'too-many-connections',
    ],
    [
      'stream_connect_429_too_many_connections_2022.json',
      'TooManyConnectionsError',
      'too-many-connections',
    ],
  ])('%s → %s, reconnect class %s', async (file, name, failure) => {
    const clock = new ManualClock();
    server.use(
      http.get(FILTER, () => {
        const response = recorded(file, 429);
        // drop the 2020 reset header so the delay is the plain schedule
        response.headers.delete('x-rate-limit-reset');
        return response;
      }),
    );
    const stream = new StreamClient({ bearerToken: 't', clock }).filter({}, { maxRetries: 0 });
    const events = recordEvents(stream);
    const error = await (async () => {
      for await (const _ of stream);
    })().catch((e: unknown) => e);
    expect((error as Error).name).toBe(name);
    expect(ofType(events, 'reconnecting')).toHaveLength(0);
    // with one retry allowed, the class shows in the reconnecting event
    const stream2 = new StreamClient({ bearerToken: 't', clock }).filter({}, { maxRetries: 1 });
    const events2 = recordEvents(stream2);
    const done = (async () => {
      for await (const _ of stream2);
    })().catch((e: unknown) => e);
    while (ofType(events2, 'reconnecting').length === 0) await new Promise((r) => setImmediate(r));
    expect(ofType(events2, 'reconnecting')[0]).toMatchObject({
      failure,
      delayMs: 60_000,
      attempt: 1,
    });
    await clock.next();
    expect(((await done) as Error).name).toBe(name);
  });
});
