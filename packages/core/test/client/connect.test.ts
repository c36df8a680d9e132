import {
  AbortedError,
  type ConnectionMessage,
  isAbortedError,
  isConnectionError,
  isPayloadError,
  RuleConfigurationError,
  StreamClient,
  type StreamResponse,
  VERSION,
} from '@birdstream/core';
import {
  bodyFromChunks,
  controlledBody,
  erroringBody,
  heldResponse,
  ManualClock,
  readFixtureText,
  recordedResponse,
  splitBytes,
  useMswServer,
} from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { describe, expect, test } from 'vitest';
import { post, postLine } from '../helpers/messages.js';
import { FILTER } from '../helpers/stream-server.js';
import { until } from '../helpers/until.js';

const server = useMswServer();
const TOKEN = 'AAAAAAAAAAAAAAAAAAAAAtesttoken%2Bsecret';

async function collect<R>(
  iterable: AsyncIterable<ConnectionMessage<R>>,
  out: ConnectionMessage<R>[] = [],
) {
  for await (const message of iterable) out.push(message);
  return out;
}

function client(extra: Partial<ConstructorParameters<typeof StreamClient>[0]> = {}) {
  return new StreamClient({ bearerToken: TOKEN, ...extra });
}

describe('StreamClient.connect: the request', () => {
  test('sends the token, a versioned User-Agent, gzip and the serialised params', async () => {
    let seen: Request | undefined;
    server.use(
      http.get(FILTER, ({ request }) => {
        seen = request;
        return new HttpResponse(bodyFromChunks([]));
      }),
    );
    const connection = await client({ userAgent: 'my-app/1.2' }).connect('filter', {
      'tweet.fields': ['created_at', 'author_id', 'created_at'],
      expansions: ['author_id'],
    });
    await collect(connection);
    expect(seen?.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(seen?.headers.get('user-agent')).toBe(`my-app/1.2 birdstream/${VERSION}`);
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
    expect(seen?.headers.get('accept-encoding')).toBe('gzip');
    const url = new URL(seen!.url);
    expect(url.searchParams.get('tweet.fields')).toBe('created_at,author_id');
    expect(url.searchParams.get('expansions')).toBe('author_id');
    expect(connection.url).toBe(`${FILTER}?tweet.fields=created_at,author_id&expansions=author_id`);
  });

  test('each endpoint has its path; backfillMinutes overrides params; compression can be turned off', async () => {
    const urls: string[] = [];
    const record = ({ request }: { request: Request }) => {
      urls.push(`${request.url} ${request.headers.get('accept-encoding')}`);
      return new HttpResponse(bodyFromChunks([]));
    };
    server.use(
      http.get('https://proxy.test/x/2/tweets/:kind/stream', record),
      http.get('https://proxy.test/x/2/tweets/search/stream', record),
    );
    const c = client({ baseUrl: 'https://proxy.test/x/', compression: false });
    const announced: string[] = [];
    for (const [endpoint, params] of [
      ['filter', { backfill_minutes: 2 }],
      ['sample', {}],
      ['sample10', { partition: 2 }],
      ['firehose', { partition: 20, start_time: '2026-01-01T00:00:00Z' }],
    ] as const) {
      announced.push(`${c.streamUrl(endpoint, params, 4)} identity`);
      await collect(await c.connect(endpoint, params, { backfillMinutes: 4 }));
    }
    // streamUrl() is the URL connect() requests, to the character.
    expect(announced).toEqual(urls);
    expect(urls).toEqual([
      'https://proxy.test/x/2/tweets/search/stream?backfill_minutes=4 identity',
      'https://proxy.test/x/2/tweets/sample/stream?backfill_minutes=4 identity',
      'https://proxy.test/x/2/tweets/sample10/stream?partition=2&backfill_minutes=4 identity',
      'https://proxy.test/x/2/tweets/firehose/stream?partition=20&start_time=2026-01-01T00%3A00%3A00Z&backfill_minutes=4 identity',
    ]);
  });

  test('reports status, safe headers and rate-limit info of the 200', async () => {
    server.use(
      http.get(
        FILTER,
        () =>
          new HttpResponse(bodyFromChunks([]), {
            headers: {
              'x-rate-limit-limit': '50',
              'x-rate-limit-remaining': '49',
              'x-rate-limit-reset': '1767229200',
              'set-cookie': 'guest_id=secret',
            },
          }),
      ),
    );
    const connection = await client().connect('filter', {});
    expect(connection.status).toBe(200);
    expect(connection.rateLimit).toEqual({
      limit: 50,
      remaining: 49,
      resetAtMs: 1_767_229_200_000,
    });
    expect(connection.headers['x-rate-limit-limit']).toBe('50');
    expect(connection.headers['set-cookie']).toBeUndefined();
    await connection.close();
  });
});

describe('StreamClient.connect: the body', () => {
  test('decodes posts split across chunks, split emoji, a lone \\r\\n chunk, and keep-alives', async () => {
    const emoji = 'drums 🥁 and ’quotes’';
    const text = `${postLine('1', emoji)}\r\n${postLine('2')}`;
    // 7-byte chunks cut JSON, the 4-byte emoji and the \r\n pairs
    const chunks = [...splitBytes(text, 7), '\r\n', postLine('3')];
    server.use(http.get(FILTER, () => new HttpResponse(bodyFromChunks(chunks))));
    let bytes = 0;
    const connection = await client().connect<StreamResponse>(
      'filter',
      {},
      {
        onBytes: () => {
          bytes++;
        },
      },
    );
    const messages = await collect(connection);
    expect(messages.map((m) => (m.type === 'response' ? m.response.data?.id : m.type))).toEqual([
      '1',
      'keep-alive',
      '2',
      'keep-alive',
      '3',
    ]);
    const first = messages[0] as { type: 'response'; response: StreamResponse };
    expect(first.response.data?.text).toBe(emoji);
    expect(bytes).toBe(chunks.length);
  });

  test('a real recorded stream parses, error-only messages included', async () => {
    const recorded = readFixtureText('stream/twarc-csv/streaming_output.jsonl')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => `${line}\r\n`);
    server.use(http.get(FILTER, () => new HttpResponse(bodyFromChunks(recorded))));
    const messages = await collect(await client().connect<StreamResponse>('filter', {}));
    expect(messages).toHaveLength(recorded.length);
    expect(messages.every((m) => m.type === 'response')).toBe(true);
    const withData = messages.filter((m) => m.type === 'response' && m.response.data);
    expect(withData.length).toBeGreaterThan(0);
    // the recorded matching_rules[].id is a 19-digit JSON number: it must stay exact
    const rule = (withData[0] as { response: StreamResponse }).response.matching_rules?.[0];
    expect(typeof rule?.id).toBe('string');
  });

  /** Invalid JSON, a message off the schema, one over 200 bytes, then a post. */
  const BAD_LINES_THEN_A_POST = [
    '{"data": {"id": \r\n',
    '{"data": {"id": 5, "text": 7}}\r\n',
    `{"data": {"id": "9", "text": "${'x'.repeat(300)}"}}\r\n`,
    postLine('10'),
  ];

  test("validate: 'strict': invalid JSON, a schema mismatch and an oversize line are reported and skipped", async () => {
    const chunks = BAD_LINES_THEN_A_POST;
    server.use(http.get(FILTER, () => new HttpResponse(bodyFromChunks(chunks))));
    const messages = await collect(
      await client().connect<StreamResponse>(
        'filter',
        {},
        { maxMessageBytes: 200, validate: 'strict' },
      ),
    );
    expect(messages.map((m) => m.type)).toEqual([
      'payload-invalid',
      'payload-invalid',
      'payload-invalid',
      'response',
    ]);
    const kinds = messages.flatMap((m) => (m.type === 'payload-invalid' ? [m.error.kind] : []));
    expect(kinds).toEqual(['invalid-json', 'schema-mismatch', 'oversize']);
    const oversize = messages[2] as { type: 'payload-invalid'; error: { message: string } };
    expect(isPayloadError(oversize.error)).toBe(true);
    expect(oversize.error.message).toContain('200-byte limit');
  });

  test("the default ('tolerant'): the mismatch comes as unrecognized, with the message as sent", async () => {
    const chunks = BAD_LINES_THEN_A_POST;
    server.use(http.get(FILTER, () => new HttpResponse(bodyFromChunks(chunks))));
    const messages = await collect(
      await client().connect<StreamResponse>('filter', {}, { maxMessageBytes: 200 }),
    );
    expect(messages.map((m) => m.type)).toEqual([
      'payload-invalid',
      'unrecognized',
      'payload-invalid',
      'response',
    ]);
    const unrecognized = messages[1] as Extract<
      (typeof messages)[number],
      { type: 'unrecognized' }
    >;
    expect(unrecognized.unrecognized).toMatchObject({
      reason: 'irreconcilable',
      message: { data: { id: 5, text: 7 } },
      issues: [{ path: ['data', 'text'], message: 'Expected a string, got a number.' }],
    });
  });

  test("validate: 'off' delivers what strict mode rejects", async () => {
    server.use(
      http.get(
        FILTER,
        () => new HttpResponse(bodyFromChunks(['{"data": {"id": "5", "text": 7}}\r\n'])),
      ),
    );
    const messages = await collect(await client().connect('filter', {}, { validate: 'off' }));
    expect(messages).toEqual([{ type: 'response', response: { data: { id: '5', text: 7 } } }]);
  });

  test('a body that fails mid-stream throws ConnectionError with the cause', async () => {
    const drop = new TypeError('terminated');
    const body = controlledBody();
    server.use(http.get(FILTER, () => new HttpResponse(body.body)));
    const connection = await client().connect('filter', {});
    const received: ConnectionMessage<unknown>[] = [];
    const done = collect(connection, received).catch((e: unknown) => e);
    body.message(post('1'));
    await until(() => received.length === 1, 'the post');
    body.fail(drop);
    const error = await done;
    expect(isConnectionError(error)).toBe(true);
    expect((error as Error).cause).toBe(drop);
    expect((error as Error).message).toBe(
      'The connection to the filtered stream was interrupted (terminated).',
    );
  });

  test('a body that errors right away (erroringBody) throws ConnectionError too', async () => {
    server.use(http.get(FILTER, () => new HttpResponse(erroringBody([]))));
    const error = await collect(await client().connect('filter', {})).catch((e: unknown) => e);
    expect(isConnectionError(error)).toBe(true);
    expect((error as Error).cause).toBeInstanceOf(TypeError);
  });

  test('iteration ends normally when the server ends the body', async () => {
    server.use(http.get(FILTER, () => new HttpResponse(bodyFromChunks([postLine('1')]))));
    expect(await collect(await client().connect('filter', {}))).toHaveLength(1);
  });

  test('a connection can be iterated once', async () => {
    server.use(http.get(FILTER, () => new HttpResponse(bodyFromChunks([]))));
    const connection = await client().connect('filter', {});
    await collect(connection);
    expect(() => connection[Symbol.asyncIterator]()).toThrow(/iterated only once/);
  });
});

describe('StreamClient.connect: cancellation and timeouts', () => {
  test('close() ends a pending read quietly', async () => {
    const body = controlledBody();
    server.use(http.get(FILTER, () => new HttpResponse(body.body)));
    const connection = await client().connect('filter', {});
    const received: ConnectionMessage<unknown>[] = [];
    const done = collect(connection, received);
    body.message(post('1'));
    await until(() => received.length === 1, 'the post');
    await connection.close();
    const messages = await done;
    expect(messages.map((m) => m.type)).toEqual(['response']);
  });

  test('aborting the signal ends the iteration quietly', async () => {
    const body = controlledBody();
    server.use(http.get(FILTER, () => new HttpResponse(body.body)));
    const controller = new AbortController();
    const connection = await client().connect('filter', {}, { signal: controller.signal });
    const received: ConnectionMessage<unknown>[] = [];
    const done = collect(connection, received);
    body.keepAlive();
    await until(() => received.length === 1, 'the keep-alive');
    controller.abort();
    expect((await done).map((m) => m.type)).toEqual(['keep-alive']);
  });

  test('an aborted signal rejects with AbortedError before any request', async () => {
    const error = await client()
      .connect('filter', {}, { signal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortedError);
  });

  test('aborting while waiting for the headers rejects with AbortedError', async () => {
    const held = heldResponse(() => new HttpResponse(bodyFromChunks([])));
    server.use(http.get(FILTER, held.handler));
    const controller = new AbortController();
    const pending = client()
      .connect('filter', {}, { signal: controller.signal })
      .catch((e: unknown) => e);
    await until(() => held.requests.length === 1, 'the request');
    controller.abort();
    expect(isAbortedError(await pending)).toBe(true);
    held.release();
  });

  test('no response headers within connectTimeoutMs is a ConnectionError (virtual time)', async () => {
    const clock = new ManualClock();
    const held = heldResponse(() => new HttpResponse(bodyFromChunks([])));
    server.use(http.get(FILTER, held.handler));
    const pending = client({ clock, connectTimeoutMs: 5_000 })
      .connect('filter', {})
      .catch((e: unknown) => e);
    await until(() => held.requests.length === 1, 'the request');
    expect(clock.pendingDelays()).toEqual([5_000]);
    await clock.advance(5_000);
    const error = await pending;
    expect(isConnectionError(error)).toBe(true);
    expect((error as Error).message).toBe(
      'The filtered stream did not answer within 5000 ms (connectTimeoutMs).',
    );
    expect(clock.pendingTimers).toBe(0);
    held.release();
  });

  test('the connect timer is cleared once the headers arrive', async () => {
    const clock = new ManualClock();
    server.use(http.get(FILTER, () => new HttpResponse(controlledBody().body)));
    const connection = await client({ clock }).connect('filter', {});
    expect(clock.pendingTimers).toBe(0);
    await connection.close();
  });

  test('a fetch that ignores its signal still times out, and its late response is released', async () => {
    const clock = new ManualClock();
    let resolveLate!: (response: Response) => void;
    const fetch = (() =>
      new Promise<Response>((resolve) => {
        resolveLate = resolve;
      })) as typeof globalThis.fetch;
    const pending = client({ clock, fetch, connectTimeoutMs: 1_000 })
      .connect('filter', {})
      .catch((e: unknown) => e);
    await until(() => resolveLate !== undefined, 'the request');
    await clock.advance(1_000);
    expect(((await pending) as Error).message).toMatch(/did not answer within 1000 ms/);
    const late = controlledBody();
    resolveLate(new Response(late.body));
    await late.cancelled;
    expect(late.cancelCalls).toBe(1);
  });

  test('an HTTP error rejects with the typed ApiError subclass', async () => {
    server.use(
      http.get(FILTER, () =>
        recordedResponse('errors/stream_connect_409_rule_configuration_issue_no_rules.json'),
      ),
    );
    const error = await client()
      .connect('filter', {})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuleConfigurationError);
    expect((error as RuleConfigurationError).connectionIssue).toBe('RuleConfigurationIssue');
  });

  test('a refused connection is a ConnectionError naming the origin, with the cause', async () => {
    server.use(http.get(FILTER, () => HttpResponse.error()));
    const error = await client()
      .connect('filter', {})
      .catch((e: unknown) => e);
    expect(isConnectionError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /^Could not connect to the filtered stream at https:\/\/api\.x\.com \(/,
    );
    expect((error as Error).cause).toBeInstanceOf(TypeError);
  });
});
