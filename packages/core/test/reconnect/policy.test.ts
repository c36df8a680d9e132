import {
  AbortedError,
  ConfigError,
  ConnectionError,
  createApiError,
  StallError,
} from '@birdstream/core';
import {
  type BackoffState,
  backfillMinutesFor,
  INITIAL_BACKOFF,
  nextReconnectDelay,
  type ReconnectDecision,
  type ReconnectInput,
} from '@birdstream/core/internal';
import { readFixtureText } from '@birdstream/test-utils';
import { describe, expect, test } from 'vitest';

const NOW = Date.UTC(2026, 0, 1);

function apiError(status: number, bodyText = '', headers: Record<string, string> = {}) {
  return createApiError({ status, headers, bodyText });
}
const tooManyConnections = (headers: Record<string, string> = {}) =>
  apiError(
    429,
    readFixtureText('errors/stream_connect_429_too_many_connections_2020.json'),
    headers,
  );
const rateLimited = (headers: Record<string, string> = {}) =>
  apiError(429, readFixtureText('errors/rest_429_rate_limit_plaintext_2020.txt'), headers);

/** Runs the policy `n` times in a row for the same error and returns the delays. */
function delays(error: unknown, n: number, extra: Partial<ReconnectInput> = {}): number[] {
  let state: BackoffState = INITIAL_BACKOFF;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const decision = nextReconnectDelay({
      error,
      state,
      afterHealthyConnection: false,
      now: NOW,
      ...extra,
    });
    if (!decision.retry) throw new Error('expected a retry');
    out.push(decision.delayMs);
    state = decision.state;
  }
  return out;
}

describe('nextReconnectDelay: X schedules', () => {
  test('network errors back off linearly by 250 ms up to 16 s', () => {
    const got = delays(new ConnectionError('reset'), 70);
    expect(got.slice(0, 4)).toEqual([250, 500, 750, 1000]);
    expect(got[63]).toBe(16_000); // 64 × 250
    expect(got.slice(64)).toEqual(Array(6).fill(16_000));
    expect(got).toEqual(got.map((_, i) => Math.min((i + 1) * 250, 16_000)));
  });

  test('a stall counts as a network error', () => {
    expect(delays(new StallError(30_000), 3)).toEqual([250, 500, 750]);
  });

  test('5xx back off exponentially from 5 s, doubling, capped at 320 s', () => {
    expect(delays(apiError(503, 'Service Unavailable'), 9)).toEqual([
      5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 320_000, 320_000,
    ]);
  });

  test('429 backs off exponentially from 60 s, doubling, capped at 960 s', () => {
    expect(delays(rateLimited(), 7)).toEqual([
      60_000, 120_000, 240_000, 480_000, 960_000, 960_000, 960_000,
    ]);
  });

  test('429 waits until x-rate-limit-reset when that is later', () => {
    const resetInSeconds = NOW / 1000 + 900; // 15 minutes ahead
    const error = rateLimited({
      'x-rate-limit-remaining': '0',
      'x-rate-limit-reset': String(resetInSeconds),
    });
    expect(delays(error, 1)).toEqual([900_000]);
  });

  test('429 keeps its own delay when x-rate-limit-reset is sooner or past', () => {
    const error = rateLimited({
      'x-rate-limit-remaining': '0',
      'x-rate-limit-reset': String(NOW / 1000 + 10),
    });
    expect(delays(error, 2)).toEqual([60_000, 120_000]);
  });

  test('TooManyConnections backs off from 60 s and ignores the reset header while capacity remains', () => {
    const reset = String(NOW / 1000 + 900);
    const withCapacity = tooManyConnections({
      'x-rate-limit-limit': '50',
      'x-rate-limit-remaining': '47',
      'x-rate-limit-reset': reset,
    });
    const decision = nextReconnectDelay({
      error: withCapacity,
      state: INITIAL_BACKOFF,
      afterHealthyConnection: false,
      now: NOW,
    });
    expect(decision).toMatchObject({ retry: true, kind: 'too-many-connections', delayMs: 60_000 });
    expect(delays(withCapacity, 3)).toEqual([60_000, 120_000, 240_000]);
  });

  test('TooManyConnections honours the reset header once the window is exhausted', () => {
    const exhausted = tooManyConnections({
      'x-rate-limit-remaining': '0',
      'x-rate-limit-reset': String(NOW / 1000 + 600),
    });
    expect(delays(exhausted, 1)).toEqual([600_000]);
  });

  test('the classes keep separate counters', () => {
    let state = INITIAL_BACKOFF;
    const step = (error: unknown) => {
      const d = nextReconnectDelay({
        error,
        state,
        afterHealthyConnection: false,
        now: NOW,
      }) as Extract<ReconnectDecision, { retry: true }>;
      state = d.state;
      return d.delayMs;
    };
    expect([
      step(new ConnectionError('x')),
      step(apiError(500)),
      step(new ConnectionError('x')),
      step(apiError(502)),
    ]).toEqual([250, 5_000, 500, 10_000]);
  });
});

describe('nextReconnectDelay: healthy connections and resets', () => {
  test('after a healthy connection it reconnects at once and resets every counter', () => {
    const state: BackoffState = { network: 10, http: 3, rateLimit: 2 };
    const decision = nextReconnectDelay({
      error: new ConnectionError('dropped'),
      state,
      afterHealthyConnection: true,
      now: NOW,
    });
    expect(decision).toEqual({ retry: true, kind: 'network', delayMs: 0, state: INITIAL_BACKOFF });
    // the next failure starts the schedule from the beginning
    const next = nextReconnectDelay({
      error: new ConnectionError('x'),
      state: INITIAL_BACKOFF,
      afterHealthyConnection: false,
      now: NOW,
    });
    expect(next).toMatchObject({ delayMs: 250 });
  });
});

describe('nextReconnectDelay: fatal errors', () => {
  test.each([
    [
      '400 invalid request',
      () => apiError(400, readFixtureText('errors/tweets_lookup_400_too_many_ids.json')),
    ],
    [
      '401 unauthorized',
      () => apiError(401, readFixtureText('errors/rules_get_401_unauthorized.json')),
    ],
    [
      '403 client-forbidden',
      () =>
        apiError(
          403,
          readFixtureText('errors/stream_connect_403_client_forbidden_not_enrolled_2024.json'),
        ),
    ],
    [
      '403 unsupported-authentication',
      () =>
        apiError(
          403,
          readFixtureText('errors/unsupported_authentication_403_user_context_forbidden.json'),
        ),
    ],
    [
      '409 RuleConfigurationIssue',
      () =>
        apiError(
          409,
          readFixtureText('errors/stream_connect_409_rule_configuration_issue_no_rules.json'),
        ),
    ],
    [
      '429 UsageCapExceeded',
      () =>
        apiError(429, readFixtureText('errors/usage_capped_429_monthly_product_cap_2026.json'), {
          'x-rate-limit-remaining': '40',
        }),
    ],
    ['aborted', () => new AbortedError()],
    ['config', () => new ConfigError('bad')],
  ])('%s is not retried', (_name, make) => {
    expect(
      nextReconnectDelay({
        error: make(),
        state: INITIAL_BACKOFF,
        afterHealthyConnection: false,
        now: NOW,
      }),
    ).toEqual({
      retry: false,
      kind: 'fatal',
    });
    // not even after a healthy connection
    expect(
      nextReconnectDelay({
        error: make(),
        state: INITIAL_BACKOFF,
        afterHealthyConnection: true,
        now: NOW,
      }).retry,
    ).toBe(false);
  });
});

describe('nextReconnectDelay: overrides and jitter', () => {
  test('schedule numbers can be overridden', () => {
    expect(
      delays(new ConnectionError('x'), 3, { schedule: { networkStepMs: 100, networkMaxMs: 250 } }),
    ).toEqual([100, 200, 250]);
    expect(
      delays(apiError(500), 3, { schedule: { httpInitialMs: 1_000, httpMaxMs: 3_000 } }),
    ).toEqual([1_000, 2_000, 3_000]);
  });

  test('jitter adds up to the given fraction, drawn from the injected random', () => {
    const schedule = { jitter: 0.5 };
    expect(delays(apiError(500), 1, { schedule, random: () => 0 })).toEqual([5_000]);
    expect(delays(apiError(500), 1, { schedule, random: () => 0.5 })).toEqual([6_250]);
    expect(delays(apiError(500), 1, { schedule, random: () => 0.999_999 })).toEqual([7_499]);
  });

  test('without jitter the random source is never called', () => {
    const random = () => {
      throw new Error('called');
    };
    expect(delays(new ConnectionError('x'), 2, { random })).toEqual([250, 500]);
  });

  test('no jitter is added to an immediate reconnect', () => {
    const decision = nextReconnectDelay({
      error: new ConnectionError('x'),
      state: INITIAL_BACKOFF,
      afterHealthyConnection: true,
      now: NOW,
      schedule: { jitter: 1 },
      random: () => 0.9,
    });
    expect(decision).toMatchObject({ delayMs: 0 });
  });
});

describe('backfillMinutesFor', () => {
  test.each([
    [0, 1],
    [1, 1],
    [59_999, 1],
    [60_000, 1],
    [60_001, 2],
    [90_000, 2],
    [299_000, 5],
    [300_000, 5],
    [3_600_000, 5],
  ])('%i ms of outage asks for %i minutes', (outage, minutes) => {
    expect(backfillMinutesFor(outage)).toBe(minutes);
  });
});
