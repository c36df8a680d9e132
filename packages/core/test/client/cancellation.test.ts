import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isConfigError, StreamClient, type StreamOptions } from '@birdstream/core';
import { controlledBody, heldResponse, ManualClock, neverEndingBody } from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { describe, expect, test } from 'vitest';
import { ofType, typesOf } from '../helpers/events.js';
import { post, postLine } from '../helpers/messages.js';
import { run } from '../helpers/stream-runner.js';
import { FILTER, useStreamServer } from '../helpers/stream-server.js';
import { until } from '../helpers/until.js';

const server = useStreamServer();

/**
 * A fetch that answers with `body` directly. msw tees mocked bodies (for its
 * own response events), so a cancel never reaches the test's source there;
 * this fetch lets the cancel spy see exactly what the client does.
 */
function fetchReturning(body: ReadableStream<Uint8Array>) {
  const requests: Request[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    requests.push(new Request(input, init));
    return new Response(body, { status: 200 });
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}

function startWithBody(options: StreamOptions = {}) {
  const clock = new ManualClock();
  const spy = neverEndingBody([postLine('1')]);
  const { fetch, requests } = fetchReturning(spy.body);
  const stream = new StreamClient({ bearerToken: 't', clock, fetch }).filter({}, options);
  return { clock, spy, stream, requests };
}

describe('close(), break and signal release everything at once', () => {
  test('close() while reading: the body is cancelled, no timer is left, the loop ends quietly', async () => {
    const { clock, spy, stream } = startWithBody();
    const ctx = run(stream);
    await until(() => ctx.posts.length === 1, 'the post');
    expect(clock.pendingTimers).toBe(1); // the stall watchdog
    await stream.close();
    await ctx.done;
    await spy.cancelled;
    expect(spy.cancelCalls).toBe(1);
    expect(clock.pendingTimers).toBe(0);
    expect(ctx.error).toBeUndefined();
    expect(typesOf(ctx.events)).toEqual(['connecting', 'connected', 'closed']);
    expect(ofType(ctx.events, 'closed')[0]).toEqual({ type: 'closed' });
    expect(stream.closed).toBe(true);
  });

  test('break out of the loop: the body is cancelled and nothing is left', async () => {
    const { clock, spy, stream } = startWithBody();
    const events: string[] = [];
    stream.on('closed', () => events.push('closed'));
    for await (const response of stream) {
      expect(response.data.id).toBe('1');
      break;
    }
    await spy.cancelled;
    expect(spy.cancelCalls).toBe(1);
    expect(clock.pendingTimers).toBe(0);
    expect(stream.closed).toBe(true);
    expect(events).toEqual(['closed']);
  });

  test('aborting the signal while reading cancels the body and ends the loop quietly', async () => {
    const controller = new AbortController();
    const { clock, spy, stream } = startWithBody({ signal: controller.signal });
    const ctx = run(stream);
    await until(() => ctx.posts.length === 1, 'the post');
    controller.abort();
    await ctx.done;
    await spy.cancelled;
    expect(spy.cancelCalls).toBe(1);
    expect(ctx.error).toBeUndefined();
    expect(clock.pendingTimers).toBe(0);
  });

  test('close() while the consumer holds a post leaves no timer either', async () => {
    const { clock, spy, stream } = startWithBody();
    const iterator = stream[Symbol.asyncIterator]();
    expect((await iterator.next()).done).toBe(false);
    await stream.close();
    expect(clock.pendingTimers).toBe(0);
    await spy.cancelled;
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  test('close() during a back-off wait clears the timer at once; no further request', async () => {
    const clock = new ManualClock();
    let requests = 0;
    server.use(
      http.get(FILTER, () => {
        requests++;
        return new HttpResponse('', { status: 503 });
      }),
    );
    const stream = new StreamClient({ bearerToken: 't', clock }).filter();
    const ctx = run(stream);
    await until(
      () => ofType(ctx.events, 'reconnecting').length === 1 && clock.pendingTimers === 1,
      'the wait',
    );
    expect(clock.pendingDelays()).toEqual([5_000]);
    await stream.close();
    expect(clock.pendingTimers).toBe(0);
    await ctx.done;
    await clock.advance(3_600_000);
    expect(requests).toBe(1);
    expect(ctx.error).toBeUndefined();
  });

  test('aborting while waiting for the response headers ends the loop quietly', async () => {
    const clock = new ManualClock();
    const held = heldResponse(() => new HttpResponse(controlledBody().body));
    server.use(http.get(FILTER, held.handler));
    const controller = new AbortController();
    const stream = new StreamClient({ bearerToken: 't', clock }).filter(
      {},
      { signal: controller.signal },
    );
    const ctx = run(stream);
    await until(() => held.requests.length === 1, 'the request');
    expect(clock.pendingDelays()).toEqual([10_000]); // the connect timeout
    controller.abort();
    await ctx.done;
    expect(ctx.error).toBeUndefined();
    expect(clock.pendingTimers).toBe(0);
    expect(typesOf(ctx.events)).toEqual(['connecting', 'closed']);
    held.release();
  });
});

describe('closed and consumed streams', () => {
  test('a stream closed before iterating yields nothing and sends no request', async () => {
    const { stream, requests } = startWithBody();
    await stream.close();
    const seen: unknown[] = [];
    for await (const response of stream) seen.push(response);
    expect(seen).toEqual([]);
    expect(requests).toHaveLength(0);
  });

  test('an already aborted signal closes the stream before it starts', async () => {
    const { stream, requests } = startWithBody({ signal: AbortSignal.abort() });
    expect(stream.closed).toBe(true);
    for await (const _ of stream) throw new Error('no post expected');
    expect(requests).toHaveLength(0);
  });

  test('consuming the same stream twice throws a clear error', async () => {
    const { stream } = startWithBody();
    stream[Symbol.asyncIterator]();
    let error: unknown;
    try {
      for await (const _ of stream) break;
    } catch (e) {
      error = e;
    }
    expect(isConfigError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /already being consumed: an EndpointStream can be iterated once/,
    );
    expect(() => stream.toReadableStream()).toThrow(/iterated once/);
    await stream.close();
  });

  test('close() is idempotent and emits closed once', async () => {
    const { stream } = startWithBody();
    const closed: unknown[] = [];
    stream.on('closed', (e) => closed.push(e));
    await Promise.all([stream.close(), stream.close()]);
    await stream.close();
    expect(closed).toHaveLength(1);
  });
});

describe('toReadableStream', () => {
  test('pulls one post per read (backpressure reaches the socket) and cancel closes the stream', async () => {
    const body = controlledBody();
    const { fetch } = fetchReturning(body.body);
    const clock = new ManualClock();
    const stream = new StreamClient({ bearerToken: 't', clock, fetch }).filter();
    for (const id of ['1', '2', '3']) body.message(post(id));
    const reader = stream.toReadableStream().getReader();
    const first = await reader.read();
    expect(first.value?.data.id).toBe('1');
    // nothing is read ahead: the other posts wait in the socket
    await until(() => true);
    expect(stream.stats.delivered).toBe(1);
    expect((await reader.read()).value?.data.id).toBe('2');
    expect(stream.stats.delivered).toBe(2);
    await reader.cancel();
    await body.cancelled;
    expect(stream.closed).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });

  test('a fatal error errors the ReadableStream', async () => {
    server.use(http.get(FILTER, () => new HttpResponse('Unauthorized', { status: 401 })));
    const reader = new StreamClient({ bearerToken: 't' }).filter().toReadableStream().getReader();
    await expect(reader.read()).rejects.toMatchObject({ name: 'AuthenticationError', status: 401 });
  });
});

describe('against a real HTTP server on 127.0.0.1', () => {
  async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void) {
    const httpServer = createServer(handler);
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    const { port } = httpServer.address() as AddressInfo;
    return { httpServer, baseUrl: `http://127.0.0.1:${port}` };
  }

  for (const how of ['close()', 'break'] as const) {
    test(`after ${how} the server sees the request closed`, async () => {
      server.close(); // let the real fetch through msw's interceptor for this test
      let requestClosed!: () => void;
      const closed = new Promise<void>((resolve) => {
        requestClosed = resolve;
      });
      const { httpServer, baseUrl } = await listen((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(postLine('1'));
        // never ends: like X, only keep-alives would follow
        res.on('close', requestClosed);
      });
      try {
        const stream = new StreamClient({ bearerToken: 't', baseUrl }).filter();
        for await (const response of stream) {
          expect(response.data.id).toBe('1');
          if (how === 'break') break;
          await stream.close();
        }
        await closed; // resolves only when the socket was closed by the client
      } finally {
        httpServer.closeAllConnections();
        await new Promise((resolve) => httpServer.close(resolve));
        server.listen({ onUnhandledRequest: 'error' });
      }
    });
  }
});
