import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFixtureText } from '@birdstream/test-utils';
import { createAdaptorServer } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { afterEach, describe, expect, test } from 'vitest';
import { honoWebhook } from '../src/hono.js';
import { type WebhookEventOf, WebhookReceiver } from '../src/index.js';
import { expressWebhook, fastifyWebhook } from '../src/node.js';
import { nodeCrcToken, nodeSignature, postBody, SECRET } from './support/deliveries.js';
import {
  echoUrl,
  FRAMEWORKS,
  type ServedWebhook,
  serveWebhook,
  WEBHOOK_PATH,
} from './support/servers.js';

const RECORDED = readFixtureText('stream/twarc-csv/msg_00_tweet_1377650090978992134.json');
const open: ServedWebhook[] = [];
afterEach(async () => {
  for (const server of open.splice(0)) await server.close();
});

function collecting(options: { maxBodyBytes?: number } = {}) {
  const delivered: { id: string; ruleId: unknown }[] = [];
  const events: WebhookEventOf<'rejected'>[] = [];
  const receiver = new WebhookReceiver({
    consumerSecret: SECRET,
    ...options,
    onDelivery: ({ id, response }) => {
      delivered.push({ id, ruleId: response.matching_rules[0]?.id });
    },
    on: { rejected: (e) => events.push(e) },
  });
  return { receiver, delivered, events };
}

async function post(
  url: string,
  body: string | Uint8Array,
  signature: string | null = nodeSignature(body),
) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== null) headers['x-twitter-webhooks-signature'] = signature;
  const response = await fetch(url, { method: 'POST', body: body as BodyInit, headers });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe.each(FRAMEWORKS)('%s', (framework) => {
  test('CRC, a signed recorded post (19-digit rule id kept exact), 401, 400, 413, and the app’s own JSON route', async () => {
    const { receiver, delivered } = collecting({ maxBodyBytes: 64 * 1024 });
    const served = await serveWebhook(framework, receiver);
    open.push(served);
    const crc = await fetch(`${served.url}?crc_token=NzA5Mzk0MTgyOTg5NTkxMzAy`);
    expect(crc.status).toBe(200);
    expect(await crc.json()).toEqual({ response_token: nodeCrcToken('NzA5Mzk0MTgyOTg5NTkxMzAy') });
    expect(await post(served.url, RECORDED)).toEqual({
      status: 200,
      json: { status: 'delivered' },
    });
    // A 19-digit rule id sent as a JSON number arrives as the exact string.
    expect(delivered).toEqual([{ id: '1377650090978992134', ruleId: '1377649934414049282' }]);
    expect((await post(served.url, RECORDED)).json).toEqual({ status: 'duplicate' });
    expect((await post(served.url, postBody('2'), null)).status).toBe(401);
    expect((await post(served.url, postBody('2'), nodeSignature('x'))).status).toBe(401);
    expect((await post(served.url, '{"data":')).json.error).toBe('invalid-json');
    expect((await post(served.url, postBody('3', 'x'.repeat(70 * 1024)))).status).toBe(413);
    expect(delivered).toHaveLength(1);
    if (framework !== 'node:http') {
      const echoed = await fetch(echoUrl(served.url), {
        method: 'POST',
        body: '{"kept":true}',
        headers: { 'content-type': 'application/json' },
      });
      expect(await echoed.json()).toEqual({ kept: true });
    }
  });

  test('an oversized body without Content-Length is refused with 413 before it is all sent', async () => {
    const { receiver } = collecting({ maxBodyBytes: 1024 });
    const served = await serveWebhook(framework, receiver);
    open.push(served);
    const url = new URL(served.url);
    let written = 0;
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: {
            'x-twitter-webhooks-signature': nodeSignature(''),
            'transfer-encoding': 'chunked',
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on('error', () => undefined);
      // Up to 64 MiB, but the answer comes after the first kilobytes; stop writing then.
      const chunk = Buffer.alloc(16 * 1024, 32);
      const pump = () => {
        while (written < 64 * 1024 * 1024 && !req.destroyed) {
          written += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        if (!req.destroyed) req.end();
      };
      pump();
      setTimeout(() => reject(new Error('no answer')), 15_000).unref();
    });
    expect(status).toBe(413);
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });
});

describe('the body-parser pitfall', () => {
  function listen(server: Server): Promise<string> {
    return new Promise((resolve) => {
      server.listen(0, '127.0.0.1', () => {
        open.push({
          url: '',
          close: () =>
            new Promise<void>((done) => {
              server.close(() => done());
              server.closeAllConnections();
            }),
        });
        resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}${WEBHOOK_PATH}`);
      });
    });
  }

  test('express.json() before the webhook: 500 body-consumed with a rejected event that says what to change', async () => {
    const { receiver, delivered, events } = collecting();
    const app = express();
    app.use(express.json());
    app.use(WEBHOOK_PATH, expressWebhook(receiver));
    const url = await listen(createServer(app));
    const { status, json } = await post(url, postBody('5'));
    expect([status, json.error]).toEqual([500, 'body-consumed']);
    expect(delivered).toEqual([]);
    expect(events[0]?.error.message).toMatch(
      /express\.json\(\).*mount the handler before any body parser/,
    );
  });

  test('express.raw() on the path, or express.json({ verify }) keeping rawBody: the exact bytes verify', async () => {
    const { receiver, delivered } = collecting();
    const raw = express();
    raw.use(WEBHOOK_PATH, express.raw({ type: '*/*' }), expressWebhook(receiver));
    const kept = express();
    kept.use(
      express.json({
        verify: (req: unknown, _res: unknown, buf: Buffer) => {
          (req as { rawBody?: Buffer }).rawBody = buf;
        },
      }),
    );
    kept.use(WEBHOOK_PATH, expressWebhook(receiver));
    const rawUrl = await listen(createServer(raw));
    const keptUrl = await listen(createServer(kept));
    expect((await post(rawUrl, RECORDED)).status).toBe(200);
    expect((await post(keptUrl, postBody('6'))).status).toBe(200);
    expect(delivered.map((d) => d.id)).toEqual(['1377650090978992134', '6']);
  });

  test('fastify: the plugin’s scope has no parser; the app’s JSON parser still works elsewhere, whatever the content type', async () => {
    const { receiver, delivered } = collecting();
    const app = Fastify();
    await app.register(fastifyWebhook(receiver, { path: WEBHOOK_PATH }));
    app.post('/echo', async (request) => request.body);
    await app.listen({ port: 0, host: '127.0.0.1' });
    open.push({ url: '', close: () => app.close() });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    for (const type of ['application/json', 'text/plain', 'application/octet-stream']) {
      const body = postBody(`7${type.length}`);
      const response = await fetch(`${base}${WEBHOOK_PATH}`, {
        method: 'POST',
        body,
        headers: { 'content-type': type, 'x-twitter-webhooks-signature': nodeSignature(body) },
      });
      expect(response.status, type).toBe(200);
    }
    expect(delivered).toHaveLength(3);
    const echo = await fetch(`${base}/echo`, {
      method: 'POST',
      body: '{"a":1}',
      headers: { 'content-type': 'application/json' },
    });
    expect(await echo.json()).toEqual({ a: 1 });
  });

  test('hono: a middleware that read the body first leaves nothing to verify: 500 body-consumed', async () => {
    const { receiver, delivered, events } = collecting();
    const app = new Hono();
    app.use(WEBHOOK_PATH, async (c, next) => {
      await c.req.json();
      await next();
    });
    app.on(['GET', 'POST'], WEBHOOK_PATH, honoWebhook(receiver));
    const url = await listen(createAdaptorServer({ fetch: app.fetch }) as Server);
    const { status, json } = await post(url, postBody('8'));
    expect([status, json.error]).toEqual([500, 'body-consumed']);
    expect(delivered).toEqual([]);
    expect(events[0]?.reason).toBe('body-consumed');
  });
});
