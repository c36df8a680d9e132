import {
  ConnectionError,
  createApiError,
  type StreamEventHandlers,
  type StreamLifecycleEvent,
} from '@birdstream/core';
import { ManualClock } from '@birdstream/test-utils';
import { expect, it } from 'vitest';
import { oneLine } from '../../src/stream/reason-text.js';
import { RunStats } from '../../src/stream/run-stats.js';
import { streamEventHandlers } from '../../src/stream/stream-events.js';

/** The handlers' log lines for events in the order core emits them. */
function linesFor(events: StreamLifecycleEvent[]): string[] {
  const lines: string[] = [];
  const handlers = streamEventHandlers(
    new RunStats(new ManualClock()),
    (line) => lines.push(line),
    'filtered stream',
    '127.0.0.1:8080',
  ) as Record<string, ((event: StreamLifecycleEvent) => void) | undefined>;
  for (const event of events) handlers[event.type]?.(event);
  return lines;
}

const connecting = (attempt: number, backfillMinutes?: number): StreamLifecycleEvent =>
  backfillMinutes === undefined
    ? { type: 'connecting', attempt, url: 'http://127.0.0.1:8080/2/tweets/search/stream' }
    : { type: 'connecting', attempt, url: 'http://x', backfillMinutes };
const connected = (attempt: number): StreamLifecycleEvent => ({
  type: 'connected',
  attempt,
  status: 200,
  headers: {},
});
const backfill = (minutes: number): StreamLifecycleEvent => ({
  type: 'backfill',
  minutes,
  outageMs: 30_000,
  exceedsWindow: false,
});
const unavailable = createApiError({
  status: 503,
  headers: {},
  bodyText: 'Service Unavailable',
  operation: 'connect to the filtered stream',
});
const dropped = new ConnectionError('The connection to the filtered stream was interrupted.');

it('announces backfill once the connection that asked for it is up, and words a refused reconnect as such', () => {
  const lines = linesFor([
    connecting(0),
    connected(0),
    {
      type: 'reconnecting',
      attempt: 1,
      delayMs: 250,
      reason: dropped,
      failure: 'network',
      previous: 'lost',
    },
    connecting(1, 1),
    {
      type: 'reconnecting',
      attempt: 2,
      delayMs: 5_000,
      reason: unavailable,
      failure: 'http',
      previous: 'refused',
    },
    connecting(2, 1),
    connected(2),
    backfill(1),
  ] as StreamLifecycleEvent[]);
  expect(lines).toEqual([
    'connected to the filtered stream.',
    'connection lost (The connection to the filtered stream was interrupted); reconnecting in 0.3s (attempt 1).',
    expect.stringMatching(
      /^reconnect refused by 127\.0\.0\.1:8080 \(.*503.*\); reconnecting in 5\.0s \(attempt 2\)\.$/,
    ),
    'reconnected.',
    'asked 127.0.0.1:8080 to redeliver 1 minute of missed posts.',
  ]);
  expect(lines.join('\n')).not.toContain('asking');
});

it('folds a TLS error into one line with OpenSSL’s reason', () => {
  const openssl = Object.assign(
    new Error(
      'write EPROTO 40E7F2B1D07F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:354:\n',
    ),
    { code: 'EPROTO' },
  );
  const error = new ConnectionError(
    'Could not connect to the filtered stream at https://127.0.0.1:1 (write EPROTO 40E7F2B1D07F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:354:\n).',
    { cause: openssl },
  );
  expect(oneLine(error)).toBe(
    'Could not connect to the filtered stream at https://127.0.0.1:1 (TLS error: wrong version number',
  );
  const lines = linesFor([
    connecting(0),
    {
      type: 'reconnecting',
      attempt: 1,
      delayMs: 250,
      reason: error,
      failure: 'network',
      previous: 'unreachable',
    },
  ] as StreamLifecycleEvent[]);
  expect(lines).toEqual([
    'could not connect to 127.0.0.1:8080 (the TLS handshake failed: wrong version number); retrying in 0.3s (attempt 1).',
  ]);
});

// Keeps the handler type honest: every key is a core event type.
const _typed: StreamEventHandlers = streamEventHandlers(
  new RunStats(new ManualClock()),
  () => undefined,
  'x',
);
void _typed;
