/**
 * The supervision contract: scenarios of reconnect supervision as data, run
 * against core's `StreamSupervisor` directly, through core's `EndpointStream`
 * end to end (msw, virtual time) and through rx's `retryStream` end to end
 * — and each run must produce exactly the `expected` events and end. One
 * table, three runners: if core and rx ever disagree, one of them fails.
 *
 * Plain data on purpose (no import of core): errors are described (`status`,
 * `refuse`), expectations are the fields that matter of each lifecycle event.
 */

import { readFixtureText } from './fixtures.js';

/** The virtual clock's start in every runner (`new ManualClock()`'s default). */
export const CONTRACT_START = Date.UTC(2026, 0, 1);

/** What happens on an open connection, in order. A timeline must end the connection. */
export type ContractStep =
  /** Virtual time passes with no byte from the server. */
  | { wait: number }
  /** The server sends a keep-alive (`\r\n`). */
  | 'keep-alive'
  /** The server sends a post (a fresh id). */
  | 'post'
  /** The server sends X's `operational-disconnect` message (the connection ends after it). */
  | 'operational-disconnect'
  /** The network drops the connection (the body errors). */
  | 'drop'
  /** The server ends the body. */
  | 'end'
  /** Nothing arrives until the stall watchdog fires (`stallTimeoutMs` after the last byte). */
  | 'stall';

/** What the n-th connection attempt meets (the last entry repeats). */
export type ContractConnection =
  /** No HTTP answer at all (refused, reset before headers). */
  | { refuse: true }
  /** An HTTP error answer. */
  | { status: number; body?: string; headers?: Record<string, string> }
  /** HTTP 200, then the timeline. */
  | { open: readonly ContractStep[] };

/** The policy hook's argument, structurally (`ReconnectContext` of core). */
export interface ContractPolicyContext {
  error: { code: string; name: string; message: string };
  kind: string;
  attempt: number;
  defaultDelayMs: number | undefined;
}

/**
 * What the n-th recovery request (`recoverGaps`, a request with `start_time`)
 * meets (the last entry repeats): HTTP 200, `posts` posts, then the server
 * ends the body (`end`) or the network drops it (`drop`). The driver plays
 * it once the live connection opened with it is `connected`, and waits for
 * its `completed`/`failed` event before that connection's timeline.
 */
export interface ContractRecovery {
  posts: number;
  ending: 'end' | 'drop';
}

/** Stream options of a scenario (the same names in core's stream options and rx's `retryStream`). */
export interface ContractOptions {
  maxRetries?: number;
  healthyAfterMs?: number;
  /** @default 30_000 */
  stallTimeoutMs?: number;
  backfill?: 'auto' | 1 | 2 | 3 | 4 | 5 | false;
  /** @default false */
  recoverGaps?: boolean;
  firstConnection?: { maxAttempts?: number; maxElapsedMs?: number } | false;
  policy?: (context: ContractPolicyContext) => number | false | undefined;
}

/** The fields of a lifecycle event the contract compares (others vary by driver, e.g. URLs). */
export type ContractEvent =
  | { type: 'connecting'; attempt: number; backfillMinutes?: number }
  | { type: 'connected'; attempt: number }
  | { type: 'stalled' }
  | { type: 'disconnected'; healthy: boolean; durationMs: number }
  /** `previous`: how the attempt before it ended (`lost`, `refused`, `unreachable`). */
  | { type: 'reconnecting'; attempt: number; delayMs: number; failure: string; previous: string }
  | { type: 'backfill'; minutes: number; outageMs: number; exceedsWindow: boolean }
  /** Times relative to `CONTRACT_START`; `error` is the error's name. */
  | {
      type: 'recovery';
      phase: string;
      startTime: number;
      endTime: number;
      posts?: number;
      error?: string;
    };

/** How a scenario ends. */
export type ContractEnd =
  /** The runner closed the stream during the back-off announced by the `closeAfter`-th `reconnecting`. */
  | { closed: true }
  /** The stream stopped with an error of this `name` (and `status`, message pattern when given). */
  | { error: { name: string; status?: number; message?: RegExp } };

export interface SupervisionScenario {
  name: string;
  options: ContractOptions;
  connections: readonly ContractConnection[];
  /** The runner closes the stream when this many `reconnecting` events were announced. */
  closeAfter?: number;
  /** What the recovery requests meet, in order (scenarios with `recoverGaps`). */
  recoveries?: readonly ContractRecovery[];
  expected: {
    events: readonly ContractEvent[];
    end: ContractEnd;
    /** The `start_time`/`end_time` of each recovery request, in order. @default [] */
    recoveryRequests?: readonly { start_time: string; end_time: string }[];
  };
}

/** Projects a lifecycle event onto the fields the contract compares; `undefined` for others. */
export function contractEvent(
  event: { type: string } & Record<string, unknown>,
): ContractEvent | undefined {
  switch (event.type) {
    case 'connecting':
      return event.backfillMinutes === undefined
        ? { type: 'connecting', attempt: event.attempt as number }
        : {
            type: 'connecting',
            attempt: event.attempt as number,
            backfillMinutes: event.backfillMinutes as number,
          };
    case 'connected':
      return { type: 'connected', attempt: event.attempt as number };
    case 'stalled':
      return { type: 'stalled' };
    case 'disconnected':
      return {
        type: 'disconnected',
        healthy: event.healthy as boolean,
        durationMs: event.durationMs as number,
      };
    case 'reconnecting':
      return {
        type: 'reconnecting',
        attempt: event.attempt as number,
        delayMs: event.delayMs as number,
        failure: event.failure as string,
        previous: event.previous as string,
      };
    case 'backfill':
      return {
        type: 'backfill',
        minutes: event.minutes as number,
        outageMs: event.outageMs as number,
        exceedsWindow: event.exceedsWindow as boolean,
      };
    case 'recovery': {
      const projected: ContractEvent = {
        type: 'recovery',
        phase: event.phase as string,
        startTime: (event.startTime as number) - CONTRACT_START,
        endTime: (event.endTime as number) - CONTRACT_START,
      };
      if (event.posts !== undefined) projected.posts = event.posts as number;
      if (event.error !== undefined) projected.error = (event.error as { name: string }).name;
      return projected;
    }
    default:
      return undefined;
  }
}

/** Checks a final error against a scenario's expectation; returns what is wrong, or `undefined`. */
export function mismatchOf(end: ContractEnd, error: unknown): string | undefined {
  if ('closed' in end)
    return error === undefined ? undefined : `expected a quiet close, got ${String(error)}`;
  if (error === undefined) return `expected ${end.error.name}, the stream ended without an error`;
  const e = error as { name?: string; status?: number; message?: string };
  if (e.name !== end.error.name) return `expected ${end.error.name}, got ${e.name}: ${e.message}`;
  if (end.error.status !== undefined && e.status !== end.error.status) {
    return `expected status ${end.error.status}, got ${e.status}`;
  }
  if (end.error.message && !end.error.message.test(e.message ?? '')) {
    return `expected the message to match ${end.error.message}, got: ${e.message}`;
  }
  return undefined;
}

// Shorthands for the table.
const connecting = (attempt: number, backfillMinutes?: number): ContractEvent =>
  backfillMinutes === undefined
    ? { type: 'connecting', attempt }
    : { type: 'connecting', attempt, backfillMinutes };
const connected = (attempt: number): ContractEvent => ({ type: 'connected', attempt });
/**
 * A `reconnecting` event. `previous` says how the attempt before it ended: `lost` after a
 * connection that was up (the event before it is its `disconnected`), else `unreachable` for
 * a network-class failure (no HTTP answer) and `refused` for an HTTP answer.
 */
const reconnecting = (
  attempt: number,
  delayMs: number,
  failure: string,
  previous: 'lost' | 'refused' | 'unreachable' = failure === 'network' ? 'unreachable' : 'refused',
): ContractEvent => ({ type: 'reconnecting', attempt, delayMs, failure, previous });
/** The same after a connection that was up: it was lost. */
const lost = (attempt: number, delayMs: number, failure = 'network'): ContractEvent =>
  reconnecting(attempt, delayMs, failure, 'lost');
const disconnected = (healthy: boolean, durationMs: number): ContractEvent => ({
  type: 'disconnected',
  healthy,
  durationMs,
});
const backfill = (minutes: number, outageMs: number, exceedsWindow = false): ContractEvent => ({
  type: 'backfill',
  minutes,
  outageMs,
  exceedsWindow,
});
const stalled: ContractEvent = { type: 'stalled' };
const recovery = (
  phase: string,
  startTime: number,
  endTime: number,
  outcome: { posts?: number; error?: string } = {},
): ContractEvent => ({ type: 'recovery', phase, startTime, endTime, ...outcome });
const MIN = 60_000;
const HOUR = 60 * MIN;
/** A connection that sends a keep-alive every 20 s for a minute (its last byte at 60 s). */
const aliveForAMinute: readonly ContractStep[] = [
  'keep-alive',
  { wait: 20_000 },
  'keep-alive',
  { wait: 20_000 },
  'keep-alive',
  { wait: 20_000 },
  'keep-alive',
];

const refuse: ContractConnection = { refuse: true };
const errorBody = (file: string) => readFixtureText(`errors/${file}`);
const json = { 'content-type': 'application/json' };

/** Every scenario of the contract. */
export const SUPERVISION_CONTRACT: readonly SupervisionScenario[] = [
  {
    name: 'network failures back off 250 ms linearly; maxRetries ends it and says it gave up',
    options: { maxRetries: 3 },
    connections: [refuse],
    expected: {
      events: [
        connecting(0),
        reconnecting(1, 250, 'network'),
        connecting(1),
        reconnecting(2, 500, 'network'),
        connecting(2),
        reconnecting(3, 750, 'network'),
        connecting(3),
      ],
      end: {
        error: {
          name: 'ConnectionError',
          message: /Gave up after 4 attempts over 1\.5 s without a healthy connection/,
        },
      },
    },
  },
  {
    name: 'HTTP 5xx backs off from 5 s, doubling; maxRetries ends it with the last ApiError',
    options: { maxRetries: 2 },
    connections: [{ status: 503, body: 'Service Unavailable' }],
    expected: {
      events: [
        connecting(0),
        reconnecting(1, 5_000, 'http'),
        connecting(1),
        reconnecting(2, 10_000, 'http'),
        connecting(2),
      ],
      end: { error: { name: 'ServerError', status: 503, message: /Gave up after 3 attempts/ } },
    },
  },
  {
    name: 'HTTP 429 backs off from 60 s, doubling; closing during the back-off ends it quietly',
    options: {},
    connections: [
      { status: 429, body: errorBody('rest_429_too_many_requests_json_2021.json'), headers: json },
    ],
    closeAfter: 2,
    expected: {
      events: [
        connecting(0),
        reconnecting(1, 60_000, 'rate-limit'),
        connecting(1),
        reconnecting(2, 120_000, 'rate-limit'),
      ],
      end: { closed: true },
    },
  },
  {
    name: 'HTTP 429 with an exhausted window waits for x-rate-limit-reset',
    options: {},
    connections: [
      {
        status: 429,
        body: errorBody('rest_429_too_many_requests_json_2021.json'),
        headers: {
          ...json,
          'x-rate-limit-limit': '50',
          'x-rate-limit-remaining': '0',
          'x-rate-limit-reset': String(CONTRACT_START / 1000 + 30 * 60),
        },
      },
      { status: 429, body: errorBody('rest_429_too_many_requests_json_2021.json'), headers: json },
    ],
    closeAfter: 2,
    expected: {
      events: [
        connecting(0),
        reconnecting(1, 1_800_000, 'rate-limit'),
        connecting(1),
        reconnecting(2, 120_000, 'rate-limit'),
      ],
      end: { closed: true },
    },
  },
  {
    name: '429 TooManyConnections waits 60 s doubling, ignoring the reset while capacity remains',
    options: {},
    connections: [
      {
        status: 429,
        body: errorBody('stream_connect_429_too_many_connections_2020.json'),
        headers: {
          ...json,
          'x-rate-limit-limit': '50',
          'x-rate-limit-remaining': '47',
          'x-rate-limit-reset': String(CONTRACT_START / 1000 + 900),
        },
      },
    ],
    closeAfter: 2,
    expected: {
      events: [
        connecting(0),
        reconnecting(1, 60_000, 'too-many-connections'),
        connecting(1),
        reconnecting(2, 120_000, 'too-many-connections'),
      ],
      end: { closed: true },
    },
  },
  ...(
    [
      [400, 'BadRequestError', 'tweets_lookup_400_too_many_ids.json'],
      [401, 'AuthenticationError', 'rules_get_401_unauthorized.json'],
      [403, 'ForbiddenError', 'stream_connect_403_client_forbidden_not_enrolled_2024.json'],
      [409, 'RuleConfigurationError', 'stream_connect_409_rule_configuration_issue_no_rules.json'],
      [429, 'UsageCapExceededError', 'usage_capped_429_monthly_product_cap_2026.json'],
    ] as const
  ).map(
    ([status, name, file]): SupervisionScenario => ({
      name: `a fatal ${status} (${name}) stops at once, never retried`,
      options: {},
      connections: [{ status, body: errorBody(file), headers: json }],
      expected: { events: [connecting(0)], end: { error: { name, status } } },
    }),
  ),
  {
    name: 'a healthy connection (alive ≥ healthyAfterMs) reconnects at once; the back-off starts over',
    options: {},
    connections: [
      { open: ['post', { wait: 20_000 }, 'keep-alive', { wait: 11_000 }, 'drop'] },
      refuse,
    ],
    closeAfter: 3,
    expected: {
      events: [
        connecting(0),
        connected(0),
        disconnected(true, 31_000),
        lost(1, 0),
        connecting(1),
        reconnecting(2, 250, 'network'),
        connecting(2),
        reconnecting(3, 500, 'network'),
      ],
      end: { closed: true },
    },
  },
  {
    name: 'a short-lived connection is unhealthy: it backs off and counts toward maxRetries',
    options: { maxRetries: 1 },
    connections: [{ open: ['keep-alive', { wait: 10_000 }, 'drop'] }],
    expected: {
      events: [
        connecting(0),
        connected(0),
        disconnected(false, 10_000),
        lost(1, 250),
        connecting(1),
        connected(1),
        disconnected(false, 10_000),
      ],
      end: { error: { name: 'ConnectionError', message: /Gave up after 2 attempts/ } },
    },
  },
  {
    name: 'a keep-alive then a 30 s stall is unhealthy (alive until the last byte), with backfill sized to the outage and announced once connected',
    options: { backfill: 'auto' },
    connections: [{ open: ['keep-alive', 'stall'] }, { open: ['drop'] }],
    closeAfter: 2,
    expected: {
      events: [
        connecting(0),
        connected(0),
        stalled,
        disconnected(false, 30_000),
        lost(1, 250),
        connecting(1, 1),
        connected(1),
        backfill(1, 30_250),
        disconnected(false, 0),
        lost(2, 500),
      ],
      end: { closed: true },
    },
  },
  {
    name: 'the server ending the body is a network-class failure',
    options: {},
    connections: [{ open: ['post', 'end'] }, refuse],
    closeAfter: 2,
    expected: {
      events: [
        connecting(0),
        connected(0),
        disconnected(false, 0),
        lost(1, 250),
        connecting(1),
        reconnecting(2, 500, 'network'),
      ],
      end: { closed: true },
    },
  },
  {
    name: 'an operational disconnect reconnects at once, but twice in a row backs off',
    options: { maxRetries: 2 },
    connections: [{ open: [{ wait: 5_000 }, 'operational-disconnect'] }],
    expected: {
      events: [
        connecting(0),
        connected(0),
        disconnected(false, 5_000),
        lost(1, 0),
        connecting(1),
        connected(1),
        disconnected(false, 5_000),
        lost(2, 250),
        connecting(2),
        connected(2),
        disconnected(false, 5_000),
      ],
      end: {
        error: {
          name: 'ConnectionError',
          message: /operational-disconnect.*Gave up after 3 attempts/,
        },
      },
    },
  },
  {
    name: 'the policy hook overrides delays (and sees a BirdstreamError)',
    options: {
      policy: ({ error, attempt }) => (error.code === 'connection' ? attempt * 1_000 : undefined),
    },
    connections: [refuse],
    closeAfter: 2,
    expected: {
      events: [
        connecting(0),
        reconnecting(1, 1_000, 'network'),
        connecting(1),
        reconnecting(2, 2_000, 'network'),
      ],
      end: { closed: true },
    },
  },
  {
    name: 'the policy hook refusing stops with the error at once',
    options: { policy: () => false },
    connections: [{ status: 503, body: 'Service Unavailable' }],
    expected: {
      events: [connecting(0)],
      end: { error: { name: 'ServerError', status: 503 } },
    },
  },
  {
    name: 'the policy hook may retry what X calls fatal',
    options: { policy: ({ kind }) => (kind === 'fatal' ? 7_000 : undefined) },
    connections: [
      { status: 401, body: errorBody('rules_get_401_unauthorized.json'), headers: json },
    ],
    closeAfter: 2,
    expected: {
      events: [
        connecting(0),
        reconnecting(1, 7_000, 'http'),
        connecting(1),
        reconnecting(2, 7_000, 'http'),
      ],
      end: { closed: true },
    },
  },
  {
    name: 'backfill minutes follow the outage since the last byte: 1, 2, 3, then 5 and beyond the window; only the attempt that connects announces it',
    options: { backfill: 'auto', firstConnection: false },
    connections: [
      { open: [{ wait: 25_000 }, 'keep-alive', { wait: 1_000 }, 'drop'] },
      ...Array.from({ length: 6 }, () => ({ status: 503, body: 'Service Unavailable' })),
      { open: ['drop'] },
    ],
    closeAfter: 8,
    expected: {
      events: [
        connecting(0),
        connected(0),
        disconnected(false, 26_000),
        lost(1, 250),
        // Each refused attempt asks for the outage so far (1_250, 6_250, 16_250, … ms) and
        // announces nothing: the stream never got that backfill.
        connecting(1, 1),
        reconnecting(2, 5_000, 'http'),
        connecting(2, 1),
        reconnecting(3, 10_000, 'http'),
        connecting(3, 1),
        reconnecting(4, 20_000, 'http'),
        connecting(4, 1),
        reconnecting(5, 40_000, 'http'),
        connecting(5, 2),
        reconnecting(6, 80_000, 'http'),
        connecting(6, 3),
        reconnecting(7, 160_000, 'http'),
        connecting(7, 5),
        connected(7),
        backfill(5, 316_250, true),
        disconnected(false, 0),
        lost(8, 500),
      ],
      end: { closed: true },
    },
  },
  {
    name: 'a stream that never connected ends after the first-connection bound (10 attempts)',
    options: {},
    connections: [refuse],
    expected: {
      events: [
        connecting(0),
        ...[250, 500, 750, 1_000, 1_250, 1_500, 1_750, 2_000, 2_250].flatMap((delay, i) => [
          reconnecting(i + 1, delay, 'network'),
          connecting(i + 1),
        ]),
      ],
      end: {
        error: {
          name: 'FirstConnectionError',
          message:
            /^Could not connect to https:\/\/api\.x\.com\/2\/tweets\/search\/stream: .*10 attempts over 11\.25 s; the stream never connected/,
        },
      },
    },
  },
  {
    name: 'the first-connection bound in time: maxElapsedMs since the first attempt',
    options: { firstConnection: { maxAttempts: Number.POSITIVE_INFINITY, maxElapsedMs: 5_000 } },
    connections: [refuse],
    expected: {
      events: [
        connecting(0),
        ...[250, 500, 750, 1_000, 1_250, 1_500].flatMap((delay, i) => [
          reconnecting(i + 1, delay, 'network'),
          connecting(i + 1),
        ]),
      ],
      end: { error: { name: 'FirstConnectionError', message: /7 attempts over 5\.25 s/ } },
    },
  },
  {
    name: 'once connected, the first-connection bound no longer applies: maxRetries does',
    options: { maxRetries: 11 },
    connections: [{ open: ['end'] }, refuse],
    expected: {
      events: [
        connecting(0),
        connected(0),
        disconnected(false, 0),
        ...[250, 500, 750, 1_000, 1_250, 1_500, 1_750, 2_000, 2_250, 2_500, 2_750].flatMap(
          (delay, i) => [
            i === 0 ? lost(1, delay) : reconnecting(i + 1, delay, 'network'),
            connecting(i + 1),
          ],
        ),
      ],
      end: { error: { name: 'ConnectionError', message: /Gave up after 12 attempts/ } },
    },
  },
  {
    name: 'recoverGaps: an 11-minute outage is backfilled 5 minutes and the 6 before are recovered',
    options: { backfill: 'auto', recoverGaps: true, policy: () => 11 * MIN },
    connections: [
      { open: [...aliveForAMinute, 'drop'] },
      { open: ['keep-alive', { wait: 1_000 }, 'drop'] },
    ],
    recoveries: [{ posts: 2, ending: 'end' }],
    closeAfter: 2,
    expected: {
      events: [
        connecting(0),
        connected(0),
        disconnected(true, 60_000),
        lost(1, 11 * MIN),
        connecting(1, 5),
        connected(1),
        backfill(5, 11 * MIN, true),
        // Planned once the live connection is up; one margin (a minute) past each end of the gap.
        recovery('started', 0, 8 * MIN),
        recovery('completed', 0, 8 * MIN, { posts: 2 }),
        disconnected(false, 1_000),
        lost(2, 11 * MIN),
      ],
      end: { closed: true },
      recoveryRequests: [{ start_time: '2026-01-01T00:00:00Z', end_time: '2026-01-01T00:08:00Z' }],
    },
  },
  {
    name: 'recoverGaps: a recovery that drops is reported failed and the live stream goes on',
    options: { recoverGaps: true, policy: () => 11 * MIN },
    connections: [
      { open: [...aliveForAMinute, 'drop'] },
      { open: ['post', { wait: 20_000 }, 'keep-alive', { wait: 20_000 }, 'keep-alive', 'drop'] },
    ],
    recoveries: [{ posts: 1, ending: 'drop' }],
    closeAfter: 2,
    expected: {
      events: [
        connecting(0),
        connected(0),
        disconnected(true, 60_000),
        lost(1, 11 * MIN),
        connecting(1),
        connected(1),
        // Without backfill the window runs up to the reconnect (never past it).
        recovery('started', 0, 12 * MIN),
        recovery('failed', 0, 12 * MIN, { posts: 1, error: 'ConnectionError' }),
        // Healthy: the attempt count starts over.
        disconnected(true, 40_000),
        lost(1, 11 * MIN),
      ],
      end: { closed: true },
      recoveryRequests: [{ start_time: '2026-01-01T00:00:00Z', end_time: '2026-01-01T00:12:00Z' }],
    },
  },
  {
    name: 'recoverGaps: beyond 24 hours the older part is unrecoverable, said in an event',
    options: { backfill: 'auto', recoverGaps: true, policy: () => 25 * HOUR },
    connections: [
      { open: [...aliveForAMinute, 'drop'] },
      { open: ['keep-alive', { wait: 1_000 }, 'drop'] },
    ],
    recoveries: [{ posts: 0, ending: 'end' }],
    closeAfter: 2,
    expected: {
      events: [
        connecting(0),
        connected(0),
        disconnected(true, 60_000),
        lost(1, 25 * HOUR),
        connecting(1, 5),
        connected(1),
        backfill(5, 25 * HOUR, true),
        // The window starts a margin inside X's 24 hours; what is older is said to be lost.
        recovery('unrecoverable', MIN, HOUR + 2 * MIN),
        recovery('started', HOUR + 2 * MIN, 25 * HOUR - 3 * MIN),
        recovery('completed', HOUR + 2 * MIN, 25 * HOUR - 3 * MIN, { posts: 0 }),
        disconnected(false, 1_000),
        lost(2, 25 * HOUR),
      ],
      end: { closed: true },
      recoveryRequests: [{ start_time: '2026-01-01T01:02:00Z', end_time: '2026-01-02T00:57:00Z' }],
    },
  },
  {
    name: 'HTTP errors before the first connection follow X policy, not the first-connection bound',
    options: { maxRetries: 12 },
    connections: [{ status: 502, body: 'Bad Gateway' }],
    closeAfter: 11,
    expected: {
      events: [
        connecting(0),
        ...[5, 10, 20, 40, 80, 160, 320, 320, 320, 320].flatMap((s, i) => [
          reconnecting(i + 1, s * 1_000, 'http'),
          connecting(i + 1),
        ]),
        reconnecting(11, 320_000, 'http'),
      ],
      end: { closed: true },
    },
  },
];
