import { createServer } from 'node:net';
import {
  ConnectionError,
  FirstConnectionError,
  isConnectionError,
  isFirstConnectionError,
  StreamClient,
  unreachableCause,
} from '@birdstream/core';
import { ManualClock } from '@birdstream/test-utils';
import { afterEach, describe, expect, test } from 'vitest';
import { ofType } from '../helpers/events.js';
import { closeAllStreams, run } from '../helpers/stream-runner.js';
import { until } from '../helpers/until.js';

afterEach(closeAllStreams);

/** A loopback port nothing listens on: bound once, then released. */
async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Follows every announced back-off on the virtual clock until the stream ends. */
async function followUntilEnd(clock: ManualClock, ctx: ReturnType<typeof run>) {
  let followed = 0;
  for (;;) {
    await until(
      () => ctx.finished || ofType(ctx.events, 'reconnecting').length > followed,
      `reconnect #${followed + 1} or the end`,
    );
    if (ctx.finished) return;
    const delay = ofType(ctx.events, 'reconnecting')[followed]!.delayMs;
    followed++;
    if (delay > 0) await until(() => clock.pendingDelays()[0] === delay, 'the back-off timer');
    await clock.advance(delay);
  }
}

describe('a stream that never connects (a refused loopback port, virtual time)', () => {
  test('ends after 10 attempts with a FirstConnectionError naming the URL, the cause and what to check', async () => {
    const port = await refusedPort();
    const clock = new ManualClock();
    const stream = new StreamClient({
      bearerToken: 'secret-token-1234',
      baseUrl: `http://127.0.0.1:${port}`,
      clock,
    }).filter({ 'tweet.fields': ['created_at'] });
    const ctx = run(stream);
    await followUntilEnd(clock, ctx);
    await ctx.done;

    const error = ctx.error as FirstConnectionError;
    expect(isFirstConnectionError(error)).toBe(true);
    expect(isConnectionError(error)).toBe(true);
    expect(error.reason).toBe('refused');
    expect(error.attempts).toBe(10);
    // 250 + 500 + … + 2250 ms of back-off between the 10 attempts.
    expect(error.elapsedMs).toBe(11_250);
    expect(error.url).toBe(
      `http://127.0.0.1:${port}/2/tweets/search/stream?tweet.fields=created_at`,
    );
    expect(error.message).toBe(
      `Could not connect to http://127.0.0.1:${port}/2/tweets/search/stream: the connection was refused (10 attempts over 11.25 s; the stream never connected). Check that baseUrl points at a running server and the port is right.`,
    );
    // A local server is not "X", and the token appears nowhere.
    expect(error.message).not.toMatch(/\bX\b/);
    expect(JSON.stringify(error)).not.toContain('secret-token-1234');
    expect(error.message).not.toContain('secret-token-1234');
    expect(ofType(ctx.events, 'connecting')).toHaveLength(10);
    expect(ofType(ctx.events, 'error')[0]?.error).toBe(error);
    expect(clock.pendingTimers).toBe(0);
  });

  test('the bound is configurable: attempts, time, and a hint in the caller’s words (the CLI’s)', async () => {
    const port = await refusedPort();
    const clock = new ManualClock();
    const hint = 'Check --base-url, or HTTPS_PROXY if you are behind a proxy.';
    const stream = new StreamClient({
      bearerToken: 'token',
      baseUrl: `http://127.0.0.1:${port}`,
      clock,
    }).filter({}, { firstConnection: { maxAttempts: 3, hint } });
    const ctx = run(stream);
    await followUntilEnd(clock, ctx);
    await ctx.done;
    const error = ctx.error as FirstConnectionError;
    expect(error.attempts).toBe(3);
    expect(error.hint).toBe(hint);
    expect(error.message.endsWith(hint)).toBe(true);
    expect(error.message).not.toMatch(/baseUrl/);
  });

  test('firstConnection: false keeps retrying by X’s policy (maxRetries decides) and says it gave up', async () => {
    const port = await refusedPort();
    const clock = new ManualClock();
    const stream = new StreamClient({
      bearerToken: 'token',
      baseUrl: `http://127.0.0.1:${port}`,
      clock,
    }).filter({}, { firstConnection: false, maxRetries: 12 });
    const ctx = run(stream);
    await followUntilEnd(clock, ctx);
    await ctx.done;
    expect(isFirstConnectionError(ctx.error)).toBe(false);
    expect(isConnectionError(ctx.error)).toBe(true);
    expect(ofType(ctx.events, 'connecting')).toHaveLength(13);
    expect((ctx.error as Error).message).toMatch(
      / Gave up after 13 attempts over 19\.5 s without a healthy connection \(maxRetries\)/,
    );
  });

  test.each([
    [{ maxAttempts: 0 }, /firstConnection\.maxAttempts must be/],
    [{ maxElapsedMs: -1 }, /firstConnection\.maxElapsedMs must be/],
    ['yes', /firstConnection must be/],
  ])('rejects firstConnection %o with a ConfigError', (option, message) => {
    const client = new StreamClient({ bearerToken: 'token' });
    expect(() => client.filter({}, { firstConnection: option as never })).toThrow(message);
  });
});

describe('unreachableCause reads the cause from the error chain', () => {
  const wrapped = (cause: unknown) =>
    new ConnectionError('Could not connect to the filtered stream (fetch failed).', {
      cause: new TypeError('fetch failed', { cause }),
    });
  const coded = (code: string) => Object.assign(new Error(code), { code });
  test.each([
    ['ENOTFOUND', 'dns'],
    ['EAI_AGAIN', 'dns'],
    ['ECONNREFUSED', 'refused'],
    ['CERT_HAS_EXPIRED', 'tls'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
    ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
    ['ETIMEDOUT', 'timeout'],
    ['UND_ERR_PROXY_CONNECT', 'proxy'],
    ['ECONNRESET', 'reset'],
  ])('%s → %s', (code, cause) => {
    expect(unreachableCause(wrapped(coded(code)))).toBe(cause);
  });

  test('a connect timeout of birdstream reads as timeout; an unknown failure as unknown', () => {
    expect(
      unreachableCause(
        new ConnectionError(
          'The filtered stream did not answer within 10000 ms (connectTimeoutMs).',
        ),
      ),
    ).toBe('timeout');
    expect(unreachableCause(wrapped(new Error('something else')))).toBe('unknown');
  });

  test('each cause has its own advice', () => {
    const messages = (['dns', 'refused', 'tls', 'timeout', 'proxy'] as const).map(
      (reason) =>
        new FirstConnectionError({
          url: 'https://api.x.com/2/tweets/sample/stream',
          attempts: 10,
          elapsedMs: 125_000,
          lastError: wrapped(
            coded(
              {
                dns: 'ENOTFOUND',
                refused: 'ECONNREFUSED',
                tls: 'CERT_HAS_EXPIRED',
                timeout: 'ETIMEDOUT',
                proxy: 'UND_ERR_PROXY',
              }[reason],
            ),
          ),
        }),
    );
    expect(messages.map((e) => e.reason)).toEqual(['dns', 'refused', 'tls', 'timeout', 'proxy']);
    expect(new Set(messages.map((e) => e.hint)).size).toBe(5);
    expect(messages[0]!.message).toMatch(/over 2 min 5 s/);
  });
});
