import { readFixtureText } from '@birdstream/test-utils';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createXApiHandlers, type XApiHandlers } from '../src/msw.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

let x: XApiHandlers | undefined;
afterEach(() => {
  x?.close();
  x = undefined;
});

function use(options: Parameters<typeof createXApiHandlers>[0] = {}): XApiHandlers {
  x = createXApiHandlers({ seed: 2, rate: 10, timeScale: 100, ...options });
  server.use(...x.handlers);
  return x;
}

const auth = { authorization: 'Bearer t' };

/** Fetches with an AbortController, as clients do, so the stream can be closed. */
async function open(url: string) {
  const controller = new AbortController();
  const res = await fetch(url, { headers: auth, signal: controller.signal });
  return Object.assign(res, { abort: () => controller.abort() });
}

/** Reads a fetch body until `count` messages arrived or the body ended/failed, then aborts the request. */
async function readMessages(res: Response & { abort?: () => void }, count: number) {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let pending = '';
  const messages: { data: { id: string; author_id: string }; [key: string]: unknown }[] = [];
  let error: unknown;
  let ended = false;
  try {
    while (messages.length < count) {
      const { value, done } = await reader.read();
      if (done) {
        ended = true;
        break;
      }
      const lines = (pending + decoder.decode(value, { stream: true })).split('\r\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line !== '') messages.push(JSON.parse(line));
    }
  } catch (e) {
    error = e;
  }
  if (!ended && !error) {
    // Abort the request (msw keeps a tee of every mocked body, so cancelling
    // the reader alone would wait for that copy to be garbage collected), then
    // read what is left: the body ends once the handlers see the abort.
    res.abort?.();
    try {
      while (!(await reader.read()).done);
    } catch {
      // ended by an error: fine too
    }
  }
  // biome-ignore lint/suspicious/noExplicitAny: parsed JSON, checked field by field in the tests
  return { partial: pending, messages: messages as any[], error, ended };
}

describe('createXApiHandlers', () => {
  it('manages rules and streams matching posts through mocked fetch', async () => {
    const h = use();
    const add = await fetch('https://api.x.com/2/tweets/search/stream/rules', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ add: [{ value: 'coffee OR cat', tag: 'pets' }] }),
    });
    expect(add.status).toBe(201);
    expect(add.headers.get('x-rate-limit-limit')).toBe('100');
    const res = await open('https://api.x.com/2/tweets/search/stream?expansions=author_id');
    expect(res.status).toBe(200);
    const gone = h.waitFor('disconnected');
    const { messages } = await readMessages(res, 5);
    expect(messages.length).toBeGreaterThanOrEqual(5);
    for (const m of messages) {
      expect(m.matching_rules).toEqual([{ id: h.rules()[0]?.id, tag: 'pets' }]);
      expect(m.includes.users[0].id).toBe(m.data.author_id);
    }
    expect((await gone).reason).toBe('client');
    expect(h.stats().connections[0]?.postIds.slice(0, 5)).toEqual(
      messages.slice(0, 5).map((m) => m.data.id),
    );
  });

  it('answers on api.twitter.com too, with X error bodies', async () => {
    use();
    const res = await fetch('https://api.twitter.com/2/tweets/search/stream', { headers: auth });
    expect(res.status).toBe(409);
    expect(await res.text()).toBe(
      readFixtureText('errors/stream_connect_409_rule_configuration_issue_no_rules.json'),
    );
    expect((await fetch('https://api.x.com/2/tweets/search/stream/rules')).status).toBe(401);
  });

  it('ends the body cleanly on close, and after an operational disconnect', async () => {
    const h = use({ rules: [{ value: 'coffee OR cat OR rain' }] });
    h.inject({ type: 'operational-disconnect', afterPosts: 2 });
    const first = await readMessages(await open('https://api.x.com/2/tweets/search/stream'), 10);
    expect(first.ended).toBe(true);
    expect(first.messages).toHaveLength(3);
    expect(first.messages[2].errors[0].disconnect_type).toBe('OperationalDisconnect');
  });

  it('errors the body like a network reset on destroy, after half a message', async () => {
    const h = use();
    h.inject({ type: 'destroy', afterPosts: 3 });
    const read = await readMessages(await open('https://api.x.com/2/tweets/sample/stream'), 10);
    expect(read.messages).toHaveLength(3);
    expect(read.partial).not.toBe('');
    expect(read.error).toBeInstanceOf(TypeError);
    expect((read.error as { cause?: { code?: string } }).cause?.code).toBe('ECONNRESET');
    expect(h.stats().connections[0]?.postIds).toEqual(read.messages.map((m) => m.data.id));
  });

  it('answers connection faults and a second connection like X', async () => {
    const h = use();
    h.inject({ type: 'server-error', status: 503 });
    const failed = await fetch('https://api.x.com/2/tweets/sample/stream', { headers: auth });
    expect(failed.status).toBe(503);
    expect(await failed.text()).toMatch(/^<!DOCTYPE html>/);
    const first = await open('https://api.x.com/2/tweets/sample/stream');
    const second = await fetch('https://api.x.com/2/tweets/sample/stream', { headers: auth });
    expect(second.status).toBe(429);
    expect((await second.json()).connection_issue).toBe('TooManyConnections');
    first.abort();
    expect(h.stats().maxConcurrentConnections).toBe(2);
  });

  it('serves gzip when forced (msw decompresses it for fetch)', async () => {
    const h = use();
    h.inject({ type: 'gzip' });
    const res = await open('https://api.x.com/2/tweets/sample/stream');
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const { messages } = await readMessages(res, 3);
    expect(messages.length).toBeGreaterThanOrEqual(3);
  });

  it('stops streaming when the client aborts the request, and close() ends everything', async () => {
    const h = use();
    const res = await open('https://api.x.com/2/tweets/sample/stream');
    const gone = h.waitFor('disconnected');
    await readMessages(res, 2);
    expect((await gone).reason).toBe('client');
    expect(h.stats().openConnections).toBe(0);
    const again = await open('https://api.x.com/2/tweets/sample/stream');
    await h.waitFor('post');
    h.close();
    const rest = await readMessages(again, 1_000_000);
    expect(rest.error).toBeInstanceOf(TypeError);
    expect(h.stats().connections[1]?.closedBy).toBe('shutdown');
  });
});

describe('msw handlers: framing and the other endpoints', () => {
  it("framing: 'sse' sends `data: <json>\\n\\n` as text/event-stream", async () => {
    const h = use({ framing: 'sse' });
    h.inject({ type: 'close', afterPosts: 3 });
    const res = await open('https://api.x.com/2/tweets/firehose/stream?partition=7');
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const text = await res.text();
    const events = text.split('\n\n').filter((e) => e.startsWith('data: '));
    expect(events.map((e) => JSON.parse(e.slice(6)).data.id)).toEqual(
      h.stats().connections[0]?.postIds,
    );
    expect(h.stats().connections[0]).toMatchObject({ endpoint: 'firehose', partition: 7 });
  });

  it('answer /2/connections and /2/usage/tweets', async () => {
    use();
    const list = await fetch('https://api.x.com/2/connections', { headers: auth });
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual({ meta: { result_count: 0 } });
    const usage = await fetch('https://api.x.com/2/usage/tweets', { headers: auth });
    expect((await usage.json()).data.project_usage).toBe(0);
  });
});
