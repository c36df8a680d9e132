import { isPayloadError } from '@birdstream/core';
import { ManualClock } from '@birdstream/test-utils';
import { describe, expect, test, vi } from 'vitest';
import {
  WEBHOOK_EVENT_TYPES,
  type WebhookEvent,
  WebhookReceiver,
  type WebhookRequest,
} from '../src/index.js';
import { deliveryRequest, nodeSignature, postBody, read, SECRET } from './support/deliveries.js';

function withEvents<R extends WebhookReceiver>(r: R): { receiver: R; events: WebhookEvent[] } {
  const events: WebhookEvent[] = [];
  for (const type of WEBHOOK_EVENT_TYPES) {
    r.on(type, (e) => events.push(e));
  }
  return { receiver: r, events };
}

/** A neutral request whose body reads are counted. */
function countingRequest(body: string, headers: Record<string, string>) {
  const readBody = vi.fn(async () => ({
    kind: 'ok' as const,
    bytes: new TextEncoder().encode(body),
  }));
  const request: WebhookRequest = {
    method: 'POST',
    url: '/webhooks/x',
    header: (name) => headers[name],
    readBody,
  };
  return { request, readBody };
}

describe('bad input gets a clear answer, and nothing is handed over', () => {
  test('no signature: 401 and the body is not even read', async () => {
    const onDelivery = vi.fn();
    const r = new WebhookReceiver({ consumerSecret: SECRET, onDelivery });
    const { request, readBody } = countingRequest(postBody('1'), {});
    const answer = await r.handle(request);
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body).error).toBe('missing-signature');
    expect(readBody).not.toHaveBeenCalled();
    expect(onDelivery).not.toHaveBeenCalled();
  });

  test('a wrong signature on a body that is not JSON: 401, not 400 (verified before any parse)', async () => {
    const { receiver: r, events } = withEvents(
      new WebhookReceiver({ consumerSecret: SECRET, onDelivery: () => undefined }),
    );
    const response = await r.fetch(
      deliveryRequest('{not json', { signature: nodeSignature('{"other":1}') }),
    );
    expect(response.status).toBe(401);
    expect(events.map((e) => e.type)).toEqual(['rejected']);
    expect(r.stats.verified).toBe(0);
  });

  test('a malformed signature header: 401 without reading the body', async () => {
    const r = new WebhookReceiver({ consumerSecret: SECRET, onDelivery: () => undefined });
    const { request, readBody } = countingRequest(postBody('1'), {
      'x-twitter-webhooks-signature': 'sha256=abc',
    });
    expect((await r.handle(request)).status).toBe(401);
    expect(readBody).not.toHaveBeenCalled();
  });

  test('a body over maxBodyBytes: 413, by Content-Length before reading and by counting while reading', async () => {
    const r = new WebhookReceiver({
      consumerSecret: SECRET,
      maxBodyBytes: 100,
      onDelivery: () => undefined,
    });
    const big = postBody('1', 'x'.repeat(200));
    const declared = await r.fetch(deliveryRequest(big));
    expect(declared.status).toBe(413);
    // No Content-Length: a stream of chunks, refused once past the limit (and cancelled).
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(60).fill(32));
        if (pulled > 50) controller.close();
      },
    });
    const request = new Request('https://example.com/x', {
      method: 'POST',
      body: stream,
      headers: { 'x-twitter-webhooks-signature': nodeSignature('') },
      duplex: 'half',
    } as RequestInit);
    const streamed = await read(await r.fetch(request));
    expect(streamed.status).toBe(413);
    expect(streamed.json.error).toBe('too-large');
    expect(pulled).toBeLessThan(10);
    expect(r.stats.rejected['too-large']).toBe(2);
  });

  test('a signed body that is not JSON: 400 invalid-json, reported with a PayloadError', async () => {
    const { receiver: r, events } = withEvents(
      new WebhookReceiver({ consumerSecret: SECRET, onDelivery: () => undefined }),
    );
    const { status, json } = await read(await r.fetch(deliveryRequest('{"data": {"id": "1"')));
    expect({ status, error: json.error }).toEqual({ status: 400, error: 'invalid-json' });
    const rejected = events.find((e) => e.type === 'rejected');
    expect(rejected?.type === 'rejected' && isPayloadError(rejected.error)).toBe(true);
  });

  test('signed JSON that is not a filtered-stream message: 400 schema-mismatch', async () => {
    const r = new WebhookReceiver({ consumerSecret: SECRET, onDelivery: () => undefined });
    const { status, json } = await read(
      await r.fetch(deliveryRequest('{"data": {"id": 5, "text": []}}')),
    );
    expect({ status, error: json.error }).toEqual({ status: 400, error: 'schema-mismatch' });
  });

  test('a signed object that is not a post is answered 200 and reported, not handed over', async () => {
    const onDelivery = vi.fn();
    const { receiver: r, events } = withEvents(
      new WebhookReceiver({ consumerSecret: SECRET, onDelivery }),
    );
    const body = '{"for_user_id":"2244994945","tweet_create_events":[]}';
    const { status, json } = await read(await r.fetch(deliveryRequest(body)));
    expect({ status, json }).toEqual({ status: 200, json: { status: 'ignored' } });
    expect(onDelivery).not.toHaveBeenCalled();
    expect(events.at(-1)).toMatchObject({
      type: 'unrecognized',
      value: { for_user_id: '2244994945' },
    });
  });

  test('other methods: 405 with Allow', async () => {
    const r = new WebhookReceiver({ consumerSecret: SECRET, onDelivery: () => undefined });
    const response = await r.fetch(
      new Request('https://example.com/x', { method: 'PUT', body: 'x' }),
    );
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, POST');
  });

  test('a body that breaks off: 400 unreadable-body', async () => {
    const r = new WebhookReceiver({ consumerSecret: SECRET, onDelivery: () => undefined });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"data":'));
        controller.error(new Error('socket hang up'));
      },
    });
    const request = new Request('https://example.com/x', {
      method: 'POST',
      body: stream,
      headers: { 'x-twitter-webhooks-signature': nodeSignature('') },
      duplex: 'half',
    } as RequestInit);
    expect((await read(await r.fetch(request))).json.error).toBe('unreadable-body');
  });

  test('bad options are ConfigErrors that say what to do', () => {
    expect(() => new WebhookReceiver({ env: {} })).toThrow(/No consumer secret.*X_CONSUMER_SECRET/);
    expect(() => new WebhookReceiver({ consumerSecret: ['', SECRET] })).toThrow(
      /consumerSecret\[0\] is blank/,
    );
    expect(() => new WebhookReceiver({ consumerSecret: SECRET, maxBodyBytes: 0 })).toThrow(
      /maxBodyBytes/,
    );
    expect(() => new WebhookReceiver({ consumerSecret: SECRET, dedupe: 3 as never })).toThrow(
      /dedupe must be/,
    );
    expect(new WebhookReceiver({ env: { X_CONSUMER_SECRET: ` ${SECRET}\n` } }).toJSON()).toEqual({
      secrets: 1,
      closed: false,
    });
  });
});

describe('dedupe: each post handed over once', () => {
  test('the same post twice (a retry, a second link): the second is answered 200 duplicate', async () => {
    const delivered: string[] = [];
    const { receiver: r, events } = withEvents(
      new WebhookReceiver({
        consumerSecret: SECRET,
        onDelivery: ({ id }) => void delivered.push(id),
      }),
    );
    const first = await read(await r.fetch(deliveryRequest(postBody('10'))));
    const again = await read(await r.fetch(deliveryRequest(postBody('10'))));
    expect([first.json.status, again.json.status]).toEqual(['delivered', 'duplicate']);
    expect(delivered).toEqual(['10']);
    expect(events.filter((e) => e.type === 'duplicate')).toHaveLength(1);
    expect(r.stats).toMatchObject({ delivered: 1, duplicates: 1, verified: 2 });
  });

  test('concurrent copies wait for the first hand-over and are answered as duplicates', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const delivered: string[] = [];
    const r = new WebhookReceiver({
      consumerSecret: SECRET,
      onDelivery: async ({ id }) => {
        delivered.push(id);
        await gate;
      },
    });
    const answers = Promise.all([1, 2, 3].map(() => r.fetch(deliveryRequest(postBody('11')))));
    await vi.waitFor(() => expect(delivered).toHaveLength(1));
    expect(r.stats.inFlight).toBe(1);
    release();
    const statuses = await Promise.all(
      (await answers).map(async (a) => (await read(a)).json.status),
    );
    expect(statuses.sort()).toEqual(['delivered', 'duplicate', 'duplicate']);
    expect(delivered).toEqual(['11']);
  });

  test('a failed hand-over is answered 500 and the retry is handed over (not dropped as a duplicate)', async () => {
    let fail = true;
    const delivered: string[] = [];
    const { receiver: r, events } = withEvents(
      new WebhookReceiver({
        consumerSecret: SECRET,
        onDelivery: ({ id }) => {
          if (fail) throw new Error('database down');
          delivered.push(id);
        },
      }),
    );
    const first = await read(await r.fetch(deliveryRequest(postBody('12'))));
    expect(first.status).toBe(500);
    expect(first.json.error).toBe('consumer-error');
    expect(first.text).not.toContain('database down');
    const failure = events.find((e) => e.type === 'handoff-failed');
    expect(failure).toMatchObject({ reason: 'consumer-error', status: 500, id: '12' });
    expect(failure?.type === 'handoff-failed' && (failure.error.cause as Error).message).toBe(
      'database down',
    );
    fail = false;
    const retry = await read(await r.fetch(deliveryRequest(postBody('12'))));
    expect(retry.json.status).toBe('delivered');
    expect(delivered).toEqual(['12']);
    const third = await read(await r.fetch(deliveryRequest(postBody('12'))));
    expect(third.json.status).toBe('duplicate');
  });

  test('dedupe: false hands every copy over', async () => {
    const delivered: string[] = [];
    const r = new WebhookReceiver({
      consumerSecret: SECRET,
      dedupe: false,
      onDelivery: ({ id }) => void delivered.push(id),
    });
    await r.fetch(deliveryRequest(postBody('13')));
    await r.fetch(deliveryRequest(postBody('13')));
    expect(delivered).toEqual(['13', '13']);
  });

  test('the memory window forgets after retainMs (emulated time)', async () => {
    const clock = new ManualClock();
    const delivered: string[] = [];
    const r = new WebhookReceiver({
      consumerSecret: SECRET,
      clock,
      dedupe: { retainMs: 60_000 },
      onDelivery: ({ id }) => void delivered.push(id),
    });
    await r.fetch(deliveryRequest(postBody('14')));
    await clock.advance(59_000);
    await r.fetch(deliveryRequest(postBody('14')));
    await clock.advance(2_000);
    await r.fetch(deliveryRequest(postBody('14')));
    expect(delivered).toEqual(['14', '14']);
  });

  test('a shared store answering in-flight gets 503 (X retries); a store that fails gets 503', async () => {
    const inFlight = new WebhookReceiver({
      consumerSecret: SECRET,
      dedupe: { claim: () => ({ status: 'in-flight' }) },
      onDelivery: () => undefined,
    });
    const a = await read(await inFlight.fetch(deliveryRequest(postBody('15'))));
    expect([a.status, a.json.error]).toEqual([503, 'in-flight-elsewhere']);
    const down = new WebhookReceiver({
      consumerSecret: SECRET,
      dedupe: {
        claim: () => {
          throw new Error(`connect ECONNREFUSED (password ${SECRET})`);
        },
      },
      onDelivery: () => undefined,
    });
    const events: WebhookEvent[] = [];
    down.on('handoff-failed', (e) => events.push(e));
    const b = await read(await down.fetch(deliveryRequest(postBody('15'))));
    expect([b.status, b.json.error]).toEqual([503, 'dedupe-unavailable']);
    const cause = (events[0] as { error: Error }).error.cause as Error;
    expect(cause.message).not.toContain(SECRET);
  });
});

describe('hand-over: 200 only once handed over', () => {
  test('no consumer attached: 503 no-consumer', async () => {
    const r = new WebhookReceiver({ consumerSecret: SECRET });
    const { status, json } = await read(await r.fetch(deliveryRequest(postBody('20'))));
    expect([status, json.error]).toEqual([503, 'no-consumer']);
  });

  test('a consumer slower than handoffTimeoutMs: 503 at the timeout; it still counts once it finishes', async () => {
    const clock = new ManualClock();
    let finish!: () => void;
    const signals: AbortSignal[] = [];
    const r = new WebhookReceiver({
      consumerSecret: SECRET,
      clock,
      handoffTimeoutMs: 8_000,
      onDelivery: (_delivery, signal) => {
        signals.push(signal);
        return new Promise<void>((resolve) => {
          finish = resolve;
        });
      },
    });
    const pending = r.fetch(deliveryRequest(postBody('21')));
    // The signature is checked off the main thread: wait until the consumer has it.
    await vi.waitFor(() => expect(signals).toHaveLength(1));
    await clock.advance(7_999);
    expect(signals[0]?.aborted).toBe(false);
    await clock.advance(1);
    const { status, json } = await read(await pending);
    expect([status, json.error]).toEqual([503, 'timeout']);
    expect(signals[0]?.aborted).toBe(true);
    // X's retry while the consumer is still busy waits for it, then is a duplicate.
    const retry = r.fetch(deliveryRequest(postBody('21')));
    finish();
    expect((await read(await retry)).json.status).toBe('duplicate');
  });

  test('several consumers: all get the delivery; X waits for all', async () => {
    const seen: string[] = [];
    const r = new WebhookReceiver({
      consumerSecret: SECRET,
      onDelivery: () => void seen.push('a'),
    });
    const detach = r.attach(async () => {
      seen.push('b');
    });
    await r.fetch(deliveryRequest(postBody('22')));
    detach();
    await r.fetch(deliveryRequest(postBody('23')));
    expect(seen).toEqual(['a', 'b', 'a']);
  });

  test('close(): later deliveries are answered 503 closed', async () => {
    const r = new WebhookReceiver({ consumerSecret: SECRET, onDelivery: () => undefined });
    await r.close();
    expect((await read(await r.fetch(deliveryRequest(postBody('24'))))).json.error).toBe('closed');
  });

  test('a listener that throws changes nothing for X', async () => {
    const r = new WebhookReceiver({
      consumerSecret: SECRET,
      onDelivery: () => undefined,
      on: {
        delivered: () => {
          throw new Error('listener bug');
        },
      },
    });
    const errors: unknown[] = [];
    const onError = (e: unknown) => errors.push(e);
    process.on('uncaughtException', onError);
    try {
      expect((await r.fetch(deliveryRequest(postBody('25')))).status).toBe(200);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('uncaughtException', onError);
    }
    expect((errors[0] as Error).message).toBe('listener bug');
  });
});

describe('the async iterator: acknowledged when the loop comes back', () => {
  test('X gets 200 for a delivery only after the loop body finished with it', async () => {
    const r = new WebhookReceiver({ consumerSecret: SECRET });
    const iterator = r.deliveries();
    const answered: string[] = [];
    const first = r.fetch(deliveryRequest(postBody('30'))).then(() => answered.push('30'));
    const second = r.fetch(deliveryRequest(postBody('31'))).then(() => answered.push('31'));
    const a = await iterator.next();
    expect(a.value?.id).toBe('30');
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toEqual([]); // still in the loop body
    const b = await iterator.next(); // back for the next one: 30 is done
    await first;
    expect(answered).toEqual(['30']);
    expect(b.value?.id).toBe('31');
    const third = iterator.next();
    await second;
    expect(answered).toEqual(['30', '31']);
    await iterator.return?.();
    expect((await third).done).toBe(true);
  });

  test('for await … break: the delivery in hand is answered 503 and redelivered to the next loop', async () => {
    const r = new WebhookReceiver({ consumerSecret: SECRET });
    const answers: Promise<Response>[] = [];
    const loop = (async () => {
      for await (const delivery of r) {
        expect(delivery.id).toBe('32');
        break;
      }
    })();
    answers.push(r.fetch(deliveryRequest(postBody('32'))));
    await loop;
    expect((await read(await answers[0]!)).json.error).toBe('consumer-left');
    const ids: string[] = [];
    const second = (async () => {
      for await (const delivery of r) {
        ids.push(delivery.id);
        if (ids.length === 1) return;
      }
    })();
    const retry = r.fetch(deliveryRequest(postBody('32')));
    await second;
    expect(ids).toEqual(['32']);
    expect((await read(await retry)).json.error).toBe('consumer-left');
  });

  test('a full buffer answers 503 buffer-full; a delivery waiting past the timeout leaves the buffer', async () => {
    const clock = new ManualClock();
    const r = new WebhookReceiver({ consumerSecret: SECRET, clock, handoffTimeoutMs: 1_000 });
    const iterator = r.deliveries({ bufferSize: 1 });
    const waiting = r.fetch(deliveryRequest(postBody('40')));
    await vi.waitFor(() => expect(r.stats.inFlight).toBe(1));
    const full = await read(await r.fetch(deliveryRequest(postBody('41'))));
    expect([full.status, full.json.error]).toEqual([503, 'buffer-full']);
    await clock.advance(1_000);
    expect((await read(await waiting)).json.error).toBe('timeout');
    // It left the buffer: the loop never sees it; X's retry is handed over.
    const next = iterator.next();
    const retry = r.fetch(deliveryRequest(postBody('40')));
    expect((await next).value?.id).toBe('40');
    const after = iterator.next();
    expect((await read(await retry)).json.status).toBe('delivered');
    await r.close();
    expect((await after).done).toBe(true);
  });
});
