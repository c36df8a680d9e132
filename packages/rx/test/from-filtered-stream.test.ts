import {
  isConfigError,
  isConnectionError,
  isRuleConfigurationError,
  StreamClient,
} from '@birdstream/core';
import {
  bodyFromChunks,
  controlledBody,
  inTurn,
  neverEndingBody,
  readFixtureText,
  recordedResponse,
  thrownBy,
  useMswServer,
} from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  fromFilteredStream,
  fromSampleStream,
  fromStream,
  type StreamEvent,
} from '../src/index.js';
import { finished, record, types } from './support/recorder.js';

const server = useMswServer();
const TOKEN = 'AAAAAAAAAAAAAAAAAAAAArxtesttoken%2Bsecret';
const FILTER = 'https://api.x.com/2/tweets/search/stream';
const SAMPLE = 'https://api.x.com/2/tweets/sample/stream';

const client = () => new StreamClient({ bearerToken: TOKEN });
/** A recorded stream message, framed as X sends it. */
const line = (file: string) => `${readFixtureText(`stream/twarc-csv/${file}`).trim()}\r\n`;
const MSG_00 = 'msg_00_tweet_1377650090978992134.json';
const MSG_01 = 'msg_01_tweet_1377650093109743620.json';
const MSG_02 = 'msg_02_tweet_1377650277642338305.json';
const DISCONNECT = 'msg_04_operational_disconnect_error.json';

type Event = StreamEvent<{ data: { id: string }; matching_rules?: { id: string }[] }>;
const responses = (values: Event[]) =>
  values.flatMap((event) => (event.type === 'response' ? [event.response] : []));

describe('fromFilteredStream: one connection', () => {
  it('connects on subscribe and emits connecting, connected, posts and keep-alives in order', async () => {
    const { handler, requests } = inTurn([
      () => new HttpResponse(bodyFromChunks([line(MSG_00), '\r\n', line(MSG_01)])),
    ]);
    server.use(http.get(FILTER, handler));
    const source = fromFilteredStream(client(), {
      expansions: ['author_id'],
      'tweet.fields': ['created_at'],
    });
    expect(requests).toHaveLength(0); // cold: nothing happens before subscribing

    const r = record<Event>(source);
    await r.until(finished, 'the body to end');

    expect(types(r)).toEqual(['connecting', 'connected', 'response', 'keep-alive', 'response']);
    expect(requests).toHaveLength(1);
    const [connecting, connected] = r.values;
    expect(connecting).toEqual({ type: 'connecting', attempt: 0, url: requests[0]!.url });
    expect(connected).toMatchObject({ type: 'connected', attempt: 0, status: 200 });
    expect(responses(r.values).map((response) => response.data.id)).toEqual([
      '1377650090978992134',
      '1377650093109743620',
    ]);
    // The 2021 capture sends the rule id as a 19-digit JSON number: it arrives exact, as a string.
    expect(responses(r.values)[0]!.matching_rules).toEqual([
      { id: '1377649934414049282', tag: null },
    ]);
  });

  it('errors with ConnectionError when the server ends the body (a drop to reconnect from)', async () => {
    server.use(http.get(FILTER, () => new HttpResponse(bodyFromChunks(['\r\n']))));
    const r = record<Event>(fromFilteredStream(client()));
    await r.until(finished, 'the body to end');
    expect(isConnectionError(r.error)).toBe(true);
    expect((r.error as Error).message).toBe('The server ended the stream; reconnecting.');
  });

  it('errors with ConnectionError when the body fails mid-stream', async () => {
    const body = controlledBody();
    server.use(http.get(FILTER, () => new HttpResponse(body.body)));
    const r = record<Event>(fromFilteredStream(client()));
    body.push(line(MSG_00));
    await r.until((x) => types(x).includes('response'), 'the post');
    body.fail();
    await r.until(finished, 'the failure');
    expect(types(r)).toEqual(['connecting', 'connected', 'response']);
    expect(isConnectionError(r.error)).toBe(true);
    expect((r.error as Error).message).toMatch(/interrupted/);
  });

  it('reports the recorded operational disconnect, then errors so retryStream reconnects', async () => {
    server.use(
      http.get(
        FILTER,
        () => new HttpResponse(neverEndingBody([line(MSG_00), line(DISCONNECT)]).body),
      ),
    );
    const r = record<Event>(fromFilteredStream(client()));
    await r.until(finished, 'the disconnect');
    expect(types(r)).toEqual(['connecting', 'connected', 'response', 'stream-errors']);
    expect(r.values[3]).toMatchObject({
      type: 'stream-errors',
      withData: false,
      disconnect: true,
      errors: [{ disconnect_type: 'OperationalDisconnect' }],
    });
    expect(isConnectionError(r.error)).toBe(true);
    expect((r.error as Error).message).toMatch(/operational-disconnect/);
  });

  it('reports partial errors next to a post, and the post still arrives', async () => {
    const partial =
      '{"errors":[{"resource_type":"tweet","resource_id":"1377266697850257410","title":"Not Found Error","type":"https://api.twitter.com/2/problems/resource-not-found","detail":"Could not find tweet with id: [1377266697850257410].","parameter":"referenced_tweets.id","value":"1377266697850257410","section":"includes"}],';
    const withErrors = line(MSG_01).replace(/^\{/, partial);
    server.use(http.get(FILTER, () => new HttpResponse(bodyFromChunks([withErrors]))));
    const r = record<Event>(fromFilteredStream(client()));
    await r.until(finished, 'the body to end');
    expect(types(r)).toEqual(['connecting', 'connected', 'stream-errors', 'response']);
    expect(r.values[2]).toMatchObject({ withData: true, disconnect: false });
  });

  it('reports a malformed line as payload-invalid and goes on', async () => {
    server.use(
      http.get(FILTER, () => new HttpResponse(bodyFromChunks(['{"data": nope\r\n', line(MSG_02)]))),
    );
    const r = record<Event>(fromFilteredStream(client()));
    await r.until(finished, 'the body to end');
    expect(types(r)).toEqual(['connecting', 'connected', 'payload-invalid', 'response']);
    expect(r.values[2]).toMatchObject({ error: { kind: 'invalid-json' } });
  });

  it('delivers a drifted post, reports the drift once in aggregate and what it cannot read as unrecognized', async () => {
    const drifted = (id: string) =>
      `${JSON.stringify({
        data: {
          id,
          text: 'x',
          public_metrics: { retweet_count: '1', reply_count: 0, like_count: 0, quote_count: 0 },
        },
      })}\r\n`;
    server.use(
      http.get(
        FILTER,
        () =>
          new HttpResponse(
            bodyFromChunks([drifted('1'), '{"id":"no data"}\r\n', drifted('2'), line(MSG_02)]),
          ),
      ),
    );
    const r = record<Event>(fromFilteredStream(client()));
    await r.until(finished, 'the body to end');
    expect(types(r)).toEqual([
      'connecting',
      'connected',
      'response',
      'unrecognized',
      'response',
      'response',
      'schema-drift',
    ]);
    expect(r.values[6]).toMatchObject({
      drift: { path: 'data.public_metrics.retweet_count', kind: 'coerced', count: 2 },
    });
  });

  it('errors with the typed ApiError when X refuses the connection (409: no rules)', async () => {
    server.use(
      http.get(FILTER, () =>
        recordedResponse('errors/stream_connect_409_rule_configuration_issue_no_rules.json'),
      ),
    );
    const r = record<Event>(fromFilteredStream(client()));
    await r.until(finished, 'the 409');
    expect(types(r)).toEqual(['connecting']);
    expect(isRuleConfigurationError(r.error)).toBe(true);
  });

  it('completes instead of erroring when a recovery request (start_time) has been replayed', async () => {
    const { handler, requests } = inTurn([() => new HttpResponse(bodyFromChunks([line(MSG_00)]))]);
    server.use(http.get(FILTER, handler));
    const r = record<Event>(fromFilteredStream(client(), { start_time: '2021-04-01T15:50:00Z' }));
    await r.until(finished, 'the replay to end');
    expect(r.completed).toBe(true);
    expect(r.error).toBeUndefined();
    expect(new URL(requests[0]!.url).searchParams.get('start_time')).toBe('2021-04-01T15:50:00Z');
  });

  it('never exposes the bearer token in events, URLs or errors', async () => {
    server.use(
      http.get(FILTER, () =>
        HttpResponse.json(
          { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' },
          { status: 401 },
        ),
      ),
    );
    const r = record<Event>(fromFilteredStream(client()));
    await r.until(finished, 'the 401');
    const error = r.error as Error;
    const everything = [
      JSON.stringify(r.values),
      JSON.stringify(error),
      error.message,
      error.stack,
    ];
    for (const text of everything) expect(text).not.toContain('rxtesttoken');
  });

  it('rejects a missing client, or one without streamUrl, with a ConfigError', () => {
    const connectOnly = { connect: client().connect } as unknown as StreamClient;
    for (const bad of [undefined as unknown as StreamClient, connectOnly]) {
      const error = thrownBy(() => fromFilteredStream(bad));
      expect(isConfigError(error)).toBe(true);
    }
  });

  it("errors with the client's ConfigError for parameters connect() would refuse, sending nothing", async () => {
    const { handler, requests } = inTurn([() => new HttpResponse(bodyFromChunks([]))]);
    server.use(http.get('https://api.x.com/2/tweets/firehose/stream', handler));
    const r = record<Event>(fromStream(client(), 'firehose', { partition: 21 as never }));
    await r.until(finished, 'the error');
    expect(isConfigError(r.error)).toBe(true);
    expect((r.error as Error).message).toMatch(/partition from 1 to 20/);
    expect(r.values).toEqual([]);
    expect(requests).toHaveLength(0);
  });
});

describe('fromFilteredStream: unsubscribing', () => {
  it('aborts the HTTP request of a never-ending body at once', async () => {
    const { handler, requests } = inTurn([() => new HttpResponse(neverEndingBody(['\r\n']).body)]);
    server.use(http.get(FILTER, handler));
    const r = record<Event>(fromFilteredStream(client()));
    await r.until((x) => types(x).includes('keep-alive'), 'the first keep-alive');
    expect(requests[0]!.signal.aborted).toBe(false);

    r.subscription.unsubscribe();
    await r.until(() => requests[0]!.signal.aborted, 'the request to be aborted');
    expect(r.error).toBeUndefined();
    expect(r.completed).toBe(false);
  });

  it("cancels the body itself (cancel spy, body handed over without msw's tee)", async () => {
    const body = neverEndingBody(['\r\n']);
    const fetch = (async () => new Response(body.body, { status: 200 })) as typeof globalThis.fetch;
    const r = record<Event>(fromFilteredStream(new StreamClient({ bearerToken: TOKEN, fetch })));
    await r.until((x) => types(x).includes('keep-alive'), 'the first keep-alive');
    expect(body.cancelCalls).toBe(0);

    r.subscription.unsubscribe();
    await r.until(() => body.cancelCalls > 0, 'the body to be cancelled');
    expect(body.cancelCalls).toBe(1);
    expect(r.error).toBeUndefined();
  });

  it('aborts a connection attempt still waiting for the response headers', async () => {
    let handlerCalled = false;
    let abortedByClient = false;
    server.use(
      http.get(FILTER, ({ request }) => {
        handlerCalled = true;
        return new Promise<Response>((resolve) => {
          request.signal.addEventListener('abort', () => {
            abortedByClient = true;
            resolve(new HttpResponse(null, { status: 499 }));
          });
        });
      }),
    );
    const r = record<Event>(fromFilteredStream(client()));
    await r.until(() => handlerCalled, 'the request to reach the server');
    r.subscription.unsubscribe();
    await r.until(() => abortedByClient, 'the request to be aborted');
    expect(types(r)).toEqual(['connecting']);
    expect(r.error).toBeUndefined();
  });
});

describe('fromSampleStream', () => {
  it('connects to the sample stream with the given fields', async () => {
    const { handler, requests } = inTurn([() => new HttpResponse(bodyFromChunks([line(MSG_02)]))]);
    server.use(http.get(SAMPLE, handler));
    const r = record<Event>(fromSampleStream(client(), { 'tweet.fields': ['lang', 'geo'] }));
    await r.until(finished, 'the body to end');
    expect(new URL(requests[0]!.url).searchParams.get('tweet.fields')).toBe('lang,geo');
    expect(r.values[0]).toEqual({ type: 'connecting', attempt: 0, url: requests[0]!.url });
    expect(responses(r.values).map((response) => response.data.id)).toEqual([
      '1377650277642338305',
    ]);
  });
});
