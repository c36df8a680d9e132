import { isAuthenticationError, isConfigError, StreamClient } from '@birdstream/core';
import { controlledBody, inTurn, readFixtureText } from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { describe, expect, test } from 'vitest';
import { post } from '../helpers/messages.js';
import { FILTER, useStreamServer } from '../helpers/stream-server.js';
import { until } from '../helpers/until.js';

const server = useStreamServer();

type Post = { data: { id: string } };

function start(buffer?: number) {
  const body = controlledBody();
  const turn = inTurn([() => new HttpResponse(body.body)]);
  server.use(http.get(FILTER, turn.handler));
  const stream = new StreamClient({ bearerToken: 'token' }).filter({});
  return { body, stream, requests: turn.requests, buffer };
}

/** Reads `branch` in the background; `take` more posts only when the test says so. */
function reader(branch: AsyncIterable<Post>, paced = false) {
  const ids: string[] = [];
  let allowance = paced ? 1 : Number.POSITIVE_INFINITY;
  let error: unknown;
  let done = false;
  let stop = false;
  let allow: (() => void) | undefined;
  const finished = (async () => {
    try {
      for await (const p of branch) {
        ids.push(p.data.id);
        if (stop) break;
        while (ids.length >= allowance) {
          await new Promise<void>((resolve) => {
            allow = resolve;
          });
        }
      }
    } catch (e) {
      error = e;
    } finally {
      done = true;
    }
  })();
  return {
    ids,
    finished,
    get error() {
      return error;
    },
    get done() {
      return done;
    },
    take(n: number) {
      allowance += n;
      allow?.();
    },
    breakAfterNext() {
      stop = true;
      allowance = Number.POSITIVE_INFINITY;
      allow?.();
    },
  };
}

describe('EndpointStream.tee(): several consumers on one connection', () => {
  test('each consumer gets every post, over one request', async () => {
    const { body, stream, requests } = start();
    const [a, b, c] = stream.tee(3) as AsyncIterable<Post>[];
    const readers = [reader(a!), reader(b!), reader(c!)];
    for (const id of ['1', '2', '3']) body.message(post(id));
    await until(() => readers.every((r) => r.ids.length === 3), 'every post in every branch');
    expect(readers.map((r) => r.ids)).toEqual([
      ['1', '2', '3'],
      ['1', '2', '3'],
      ['1', '2', '3'],
    ]);
    expect(requests).toHaveLength(1);
    expect(stream.stats.delivered).toBe(3);
    await stream.close();
    await Promise.all(readers.map((r) => r.finished));
    expect(readers.every((r) => r.done && r.error === undefined)).toBe(true);
  });

  test('the slowest consumer paces the connection: a fast one runs at most `buffer` posts ahead', async () => {
    const { body, stream } = start();
    const [fast, slow] = stream.tee(2, { buffer: 2 }) as AsyncIterable<Post>[];
    const f = reader(fast!);
    const s = reader(slow!, true);
    for (let i = 1; i <= 6; i++) body.message(post(String(i)));
    // slow holds its first post; fast may be 2 posts ahead of what slow has taken.
    await until(() => s.ids.length === 1 && f.ids.length === 3, 'fast to reach the buffer bound');
    for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
    expect(f.ids).toEqual(['1', '2', '3']);
    expect(stream.stats.delivered).toBe(3);
    s.take(2);
    await until(() => f.ids.length === 5, 'fast to move on as slow takes posts');
    for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
    expect(f.ids).toEqual(['1', '2', '3', '4', '5']);
    expect(s.ids).toEqual(['1', '2', '3']);
    s.take(10);
    await until(() => f.ids.length === 6 && s.ids.length === 6, 'both to read everything');
    await stream.close();
  });

  test('a consumer that stops leaves the others running; the last one closes the stream', async () => {
    const { body, stream, requests } = start();
    const [a, b] = stream.tee() as AsyncIterable<Post>[];
    const ra = reader(a!);
    const rb = reader(b!);
    body.message(post('1'));
    await until(() => ra.ids.length === 1 && rb.ids.length === 1, 'the first post');
    ra.breakAfterNext();
    body.message(post('2'));
    await ra.finished;
    body.message(post('3'));
    await until(() => rb.ids.length === 3, 'b to keep reading');
    expect(ra.ids).toEqual(['1', '2']);
    expect(stream.closed).toBe(false);
    rb.breakAfterNext();
    body.message(post('4'));
    await rb.finished;
    await until(() => stream.closed, 'the stream to close with its last consumer');
    await until(() => requests[0]!.signal.aborted, 'the request to be aborted');
  });

  test('the error that ends the stream reaches every consumer', async () => {
    server.use(
      http.get(
        FILTER,
        () =>
          new HttpResponse(readFixtureText('errors/rules_get_401_unauthorized.json'), {
            status: 401,
            headers: { 'content-type': 'application/json' },
          }),
      ),
    );
    const stream = new StreamClient({ bearerToken: 'token' }).filter({});
    const readers = stream.tee(2).map((branch) => reader(branch as AsyncIterable<Post>));
    await Promise.all(readers.map((r) => r.finished));
    expect(readers.every((r) => isAuthenticationError(r.error))).toBe(true);
    expect(readers[0]!.error).toBe(readers[1]!.error);
  });

  test('bad arguments and a stream already consumed give a ConfigError before anything opens', async () => {
    const { stream, requests } = start();
    expect(() => stream.tee(0)).toThrow(/whole number of consumers/);
    expect(() => stream.tee(2, { buffer: 0 })).toThrow(/buffer must be a whole number/);
    const [a] = stream.tee(2);
    expect(() => stream.tee()).toThrow(/before the stream is iterated/);
    expect(() => stream[Symbol.asyncIterator]()).toThrow(/stream\.tee\(\)/);
    const iterator = a![Symbol.asyncIterator]();
    let error: unknown;
    try {
      a![Symbol.asyncIterator]();
    } catch (e) {
      error = e;
    }
    expect(isConfigError(error)).toBe(true);
    await iterator.return?.();
    await stream.close();
    expect(requests).toHaveLength(0);
  });

  test('the consumed-stream error does not advise opening a second stream', async () => {
    const { stream } = start();
    stream[Symbol.asyncIterator]();
    const error = (() => {
      try {
        stream[Symbol.asyncIterator]();
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toMatch(/stream\.tee\(\)/);
    expect(error?.message).toMatch(/429 TooManyConnections/);
    expect(error?.message).not.toMatch(/Call client\.filter\(\) \(or sample\(\)\) again/);
    await stream.close();
  });
});
