import { StreamClient, type StreamOptions } from '@birdstream/core';
import { bodyFromChunks, ManualClock, streamLine } from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { describe, expect, test } from 'vitest';
import { configError } from '../helpers/config-error.js';
import { ofType, typesOf } from '../helpers/events.js';
import { post, postLine } from '../helpers/messages.js';
import { run } from '../helpers/stream-runner.js';
import { FILTER, useStreamServer } from '../helpers/stream-server.js';
import { until } from '../helpers/until.js';

const server = useStreamServer();

describe('StreamClient options', () => {
  test('a missing or malformed bearer token is a ConfigError that says what to do', () => {
    expect(configError(() => new StreamClient({ bearerToken: '' }))).toMatch(
      /^No bearer token: pass the bearerToken option/,
    );
    expect(configError(() => new StreamClient({} as never))).toMatch(
      /^No bearer token: pass the bearerToken option/,
    );
    expect(configError(() => new StreamClient(undefined as never))).toMatch(
      /needs an options object/,
    );
    expect(configError(() => new StreamClient({ bearerToken: 'a b' }))).toMatch(
      /spaces, control or non-ASCII characters/,
    );
  });

  test('a "Bearer " prefix is accepted and removed', async () => {
    let auth: string | null = null;
    server.use(
      http.get(FILTER, ({ request }) => {
        auth = request.headers.get('authorization');
        return new HttpResponse(bodyFromChunks([]));
      }),
    );
    const connection = await new StreamClient({ bearerToken: 'Bearer abc' }).connect('filter', {});
    await connection.close();
    expect(auth).toBe('Bearer abc');
  });

  test('baseUrl is checked and normalised', () => {
    expect(new StreamClient({ bearerToken: 't' }).baseUrl).toBe('https://api.x.com');
    expect(new StreamClient({ bearerToken: 't', baseUrl: 'http://127.0.0.1:8080/' }).baseUrl).toBe(
      'http://127.0.0.1:8080',
    );
    expect(configError(() => new StreamClient({ bearerToken: 't', baseUrl: 'api.x.com' }))).toMatch(
      /absolute http\(s\) URL/,
    );
    expect(configError(() => new StreamClient({ bearerToken: 't', baseUrl: 'ftp://x' }))).toMatch(
      /http or https/,
    );
    expect(
      configError(() => new StreamClient({ bearerToken: 't', baseUrl: 'https://u:p@x' })),
    ).toMatch(/credentials/);
  });

  test('other client options are checked', () => {
    expect(configError(() => new StreamClient({ bearerToken: 't', connectTimeoutMs: 0 }))).toMatch(
      /connectTimeoutMs/,
    );
    expect(configError(() => new StreamClient({ bearerToken: 't', userAgent: 'a\nb' }))).toMatch(
      /userAgent/,
    );
    expect(configError(() => new StreamClient({ bearerToken: 't', fetch: 5 as never }))).toMatch(
      /fetch/,
    );
  });

  test('JSON.stringify(client) shows only the base URL', () => {
    expect(JSON.stringify(new StreamClient({ bearerToken: 'secret' }))).toBe(
      '{"baseUrl":"https://api.x.com"}',
    );
  });
});

describe('stream options are checked when the stream is created', () => {
  const client = new StreamClient({ bearerToken: 't' });
  test.each<[StreamOptions, RegExp]>([
    [{ maxRetries: -1 }, /maxRetries/],
    [{ maxRetries: 1.5 }, /maxRetries/],
    [{ stallTimeoutMs: 0 }, /stallTimeoutMs/],
    [{ backfill: 6 as never }, /backfill must be 'auto', a whole number of minutes from 1 to 5/],
    [{ validate: 'loose' as never }, /validate/],
    [{ dedupe: { window: 2 } as never }, /dedupe takes \{ retainMs, maxIds \}, not window/],
    [{ maxMessageBytes: -5 }, /maxMessageBytes/],
    [{ schedule: { networkStepMs: -1 } }, /schedule.networkStepMs/],
    [{ healthyAfterMs: 0 }, /healthyAfterMs/],
    [{ policy: 5 as never }, /policy must be a function/],
  ])('%o', (options, message) => {
    expect(configError(() => client.filter({}, options))).toMatch(message);
  });

  test('Enterprise streams need a partition in range', () => {
    expect(configError(() => client.sample10({} as never))).toMatch(
      /sample10 stream needs a partition from 1 to 2/,
    );
    expect(configError(() => client.firehose({ partition: 21 as never }))).toMatch(/from 1 to 20/);
    expect(configError(() => client.stream('nope' as never, {}))).toMatch(
      /Unknown stream endpoint "nope"/,
    );
  });

  test('connect checks backfillMinutes', async () => {
    await expect(client.connect('filter', {}, { backfillMinutes: 9 })).rejects.toThrow(
      /backfillMinutes/,
    );
  });

  test('streamUrl checks what connect checks, and never holds the token', () => {
    const secret = new StreamClient({ bearerToken: 'streamUrlSecret123' });
    expect(secret.streamUrl('sample', { 'tweet.fields': ['lang', 'lang'], expansions: [] })).toBe(
      'https://api.x.com/2/tweets/sample/stream?tweet.fields=lang',
    );
    expect(secret.streamUrl('filter', {}, 0)).toBe(
      'https://api.x.com/2/tweets/search/stream?backfill_minutes=0',
    );
    expect(secret.streamUrl('filter', {})).not.toContain('streamUrlSecret123');
    expect(configError(() => client.streamUrl('filter', {}, 6))).toMatch(
      /backfillMinutes must be a whole number from 0 to 5, got 6/,
    );
    expect(configError(() => client.streamUrl('filter', {}, 1.5))).toMatch(/backfillMinutes/);
    expect(configError(() => client.streamUrl('firehose', {}))).toMatch(/from 1 to 20/);
    expect(configError(() => client.streamUrl('nope' as never, {}))).toMatch(
      /Unknown stream endpoint "nope"/,
    );
  });
});

describe('events and stats of a running stream', () => {
  test('connected carries headers and rate-limit info; partial errors are reported and the post delivered', async () => {
    const partial = {
      ...post('1'),
      errors: [
        {
          title: 'Not Found Error',
          type: 'https://api.twitter.com/2/problems/resource-not-found',
          resource_id: '2',
        },
      ],
    };
    const chunks = [streamLine(partial), '\r\n', '{oops}\r\n', postLine('2')];
    server.use(
      http.get(
        FILTER,
        () =>
          new HttpResponse(bodyFromChunks(chunks), {
            headers: {
              'x-rate-limit-limit': '50',
              'x-rate-limit-remaining': '49',
              'x-rate-limit-reset': '1767229200',
            },
          }),
      ),
    );
    const clock = new ManualClock();
    const stream = new StreamClient({ bearerToken: 't', clock }).filter({}, { maxRetries: 0 });
    const ctx = run(stream);
    await ctx.done;
    expect(ctx.posts.map((p) => p.data.id)).toEqual(['1', '2']);
    expect(typesOf(ctx.events, true).slice(0, 6)).toEqual([
      'connecting',
      'connected',
      'stream-errors',
      'keep-alive',
      'payload-invalid',
      'disconnected',
    ]);
    expect(ofType(ctx.events, 'connected')[0]).toMatchObject({
      status: 200,
      rateLimit: { limit: 50, remaining: 49, resetAtMs: 1_767_229_200_000 },
      headers: { 'x-rate-limit-remaining': '49' },
    });
    expect(ofType(ctx.events, 'stream-errors')[0]).toMatchObject({
      withData: true,
      disconnect: false,
    });
    expect(ofType(ctx.events, 'payload-invalid')[0]?.error.kind).toBe('invalid-json');
    expect(stream.stats).toEqual({
      received: 2,
      delivered: 2,
      duplicates: 0,
      reconnects: 0,
      keepAlives: 1,
      invalid: 1,
      unrecognized: 0,
      // Every body byte, keep-alive and invalid line included.
      bytes: Buffer.byteLength(chunks.join('')),
      lastByteAt: clock.now(),
    });
  });

  test('on: handlers in options and stream.on() both receive events; unsubscribe works', async () => {
    server.use(http.get(FILTER, () => new HttpResponse(bodyFromChunks(['\r\n', '\r\n']))));
    const fromOption: number[] = [];
    const fromOn: number[] = [];
    const stream = new StreamClient({ bearerToken: 't', clock: new ManualClock() }).filter(
      {},
      { maxRetries: 0, on: { 'keep-alive': (e) => fromOption.push(e.at) } },
    );
    const off = stream.on('keep-alive', (e) => {
      fromOn.push(e.at);
      off();
    });
    const ctx = run(stream);
    await until(() => ctx.finished, 'the end');
    expect(fromOption).toHaveLength(2);
    expect(fromOn).toHaveLength(1);
  });
});
