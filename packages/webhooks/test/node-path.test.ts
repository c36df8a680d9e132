import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManualClock } from '@birdstream/test-utils';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { type WebhookEvent, WebhookReceiver } from '../src/index.js';
import { nodeWebhook } from '../src/node.js';
import { useFasterHmac } from '../src/receiver/webhook-receiver.js';
import { importHmacKey } from '../src/signature/hmac.js';
import { nodeHmac } from '../src/signature/node-hmac.js';
import { NEXT_SECRET, nodeSignature, postBody, SECRET } from './support/deliveries.js';

const servers: Server[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/x`;
}

/** A receiver and what it reports, with a clock that stands still (events compare whole). */
function recording() {
  const events: WebhookEvent[] = [];
  const delivered: string[] = [];
  const receiver = new WebhookReceiver({
    consumerSecret: [SECRET, NEXT_SECRET],
    maxBodyBytes: 4096,
    clock: new ManualClock(0),
    onDelivery: ({ id, text }) => {
      delivered.push(`${id} ${text}`);
    },
  });
  for (const type of ['crc', 'verified', 'rejected', 'duplicate', 'delivered'] as const) {
    receiver.on(type, (event) => events.push(event));
  }
  return { receiver, events, delivered };
}

/** The same requests, each answered in full (status, the headers the receiver sets, body). */
const REQUESTS: { name: string; method: string; query?: string; body?: string; sig?: string }[] = [
  { name: 'CRC', method: 'GET', query: '?crc_token=NzA5Mzk0MTgyOTg5' },
  { name: 'delivery', method: 'POST', body: postBody('1') },
  { name: 'duplicate', method: 'POST', body: postBody('1') },
  { name: 'second secret', method: 'POST', body: postBody('2'), sig: NEXT_SECRET },
  // Not JSON and signed wrongly: 401 before any parse (no invalid-json).
  { name: 'bad signature', method: 'POST', body: '{"data":', sig: 'wrong-secret' },
  { name: 'no signature', method: 'POST', body: postBody('3'), sig: '' },
  { name: 'not JSON', method: 'POST', body: '{"data":' },
  { name: 'too large', method: 'POST', body: postBody('4', 'x'.repeat(5000)) },
  { name: 'no post id', method: 'POST', body: '{"data":{"text":"no id"},"matching_rules":[]}' },
  { name: 'method', method: 'PUT', body: '{}' },
];

async function send(url: string, request: (typeof REQUESTS)[number]) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (request.body !== undefined && request.sig !== '') {
    headers['x-twitter-webhooks-signature'] = nodeSignature(request.body, request.sig ?? SECRET);
  }
  const response = await fetch(`${url}${request.query ?? ''}`, {
    method: request.method,
    headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  return {
    name: request.name,
    status: response.status,
    type: response.headers.get('content-type'),
    allow: response.headers.get('allow'),
    body: await response.text(),
  };
}

describe('the node:http path (node:crypto HMAC, no Request built)', () => {
  test('answers, events and deliveries are those of receiver.fetch (Web Crypto), request by request', async () => {
    const web = recording();
    const node = recording();
    const webUrl = await serve(async (req, res) => {
      // The reference: a web Request built from the node request, answered by receiver.fetch.
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string') headers.set(name, value);
      }
      const body = Buffer.concat(chunks);
      const response = await web.receiver.fetch(
        new Request(`http://127.0.0.1${req.url}`, {
          method: req.method ?? 'GET',
          headers,
          ...(body.byteLength > 0 ? { body } : {}),
        }),
      );
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(await response.text());
    });
    const nodeUrl = await serve(nodeWebhook(node.receiver));
    const webAnswers = [];
    const nodeAnswers = [];
    for (const request of REQUESTS) {
      webAnswers.push(await send(webUrl, request));
      nodeAnswers.push(await send(nodeUrl, request));
    }
    expect(nodeAnswers).toEqual(webAnswers);
    expect(nodeAnswers.map((a) => `${a.name} ${a.status}`)).toEqual([
      'CRC 200',
      'delivery 200',
      'duplicate 200',
      'second secret 200',
      'bad signature 401',
      'no signature 401',
      'not JSON 400',
      'too large 413',
      'no post id 400',
      'method 405',
    ]);
    expect(node.delivered).toEqual([
      '1 {"data":{"id":"1","text":"post 1","edit_history_tweet_ids":["1"]},"matching_rules":[{"id":"1166916266197536768","tag":"coffee"}]}',
      expect.stringMatching(/^2 /),
    ]);
    expect(node.delivered).toEqual(web.delivered);
    const shape = (events: WebhookEvent[]) =>
      events.map((event) => ({
        ...event,
        ...('error' in event ? { error: String(event.error) } : {}),
      }));
    expect(shape(node.events)).toEqual(shape(web.events));
    expect(node.events.filter((e) => e.type === 'verified').map((e) => e.secretIndex)).toEqual([
      0, 0, 1, 0, 0,
    ]);
    expect(node.receiver.stats).toEqual(web.receiver.stats);
  });

  test('once the key is imported, verification under nodeWebhook does not go through crypto.subtle', async () => {
    const { receiver, delivered } = recording();
    const url = await serve(nodeWebhook(receiver));
    // The first delivery may still be verified with Web Crypto while the key is imported.
    expect((await send(url, { name: 'a', method: 'POST', body: postBody('10') })).status).toBe(200);
    const sign = vi.spyOn(crypto.subtle, 'sign').mockRejectedValue(new Error('subtle is out'));
    expect((await send(url, { name: 'b', method: 'POST', body: postBody('11') })).status).toBe(200);
    expect(
      (await send(url, { name: 'c', method: 'POST', body: postBody('12'), sig: 'wrong' })).status,
    ).toBe(401);
    expect(sign).not.toHaveBeenCalled();
    expect(delivered.map((d) => d.split(' ')[0])).toEqual(['10', '11']);
  });

  test('node:crypto gives the same HMAC bytes as Web Crypto (bytes, UTF-8 text, empty)', async () => {
    for (const secret of [SECRET, NEXT_SECRET, 'é ünïcode secret']) {
      const key = await importHmacKey(secret);
      const fast = nodeHmac(key);
      expect(fast).toBeDefined();
      for (const data of [
        new Uint8Array(0),
        new TextEncoder().encode(postBody('5')),
        'crc token ✓',
      ]) {
        const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
        const web = new Uint8Array(await crypto.subtle.sign('HMAC', key, bytes));
        expect(new Uint8Array(fast?.(data) ?? [])).toEqual(web);
      }
    }
  });

  test('an adapter given an object with handle() only leaves it as it is', async () => {
    const handle = vi.fn(async () => ({ status: 204, headers: {}, body: '' }));
    expect(useFasterHmac({ handle }, nodeHmac)).toBe(false);
    const url = await serve(nodeWebhook({ handle }));
    expect((await fetch(url, { method: 'POST', body: '{}' })).status).toBe(204);
    expect(handle).toHaveBeenCalledOnce();
  });
});
