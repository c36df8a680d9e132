import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, ConnectionsClient, UsageClient } from '@birdstream/core';
import { type ForwardProxy, startForwardProxy } from '@birdstream/test-utils';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { reachableStrings } from '../helpers/secrets.js';

const TOKEN = 'AAAA-rest-proxy-token-0123456789';
const CREDENTIALS = 'proxy-user:s3cret-proxy-pass';

/** A small X stand-in: the Connections list, a kill by UUID (with its JSON body) and usage. */
let server: Server;
let base: string;
const bodies: string[] = [];
let proxy: ForwardProxy;

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    if (body) bodies.push(body);
    res.writeHead(req.headers.authorization === `Bearer ${TOKEN}` ? 200 : 401, {
      'content-type': 'application/json',
    });
    if (req.url?.startsWith('/2/connections') && req.method === 'DELETE') {
      const { uuids } = JSON.parse(body) as { uuids: string[] };
      res.end(
        JSON.stringify({
          data: {
            successful_kills: uuids.length,
            failed_kills: 0,
            results: uuids.map((uuid) => ({ uuid, success: true })),
          },
        }),
      );
    } else if (req.url?.startsWith('/2/connections')) {
      res.end(JSON.stringify({ meta: { result_count: 0 } }));
    } else {
      res.end(JSON.stringify({ data: { project_usage: 10, project_cap: 100 } }));
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy = await startForwardProxy(CREDENTIALS);
});
afterAll(async () => {
  await proxy.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const proxyUrl = () => `http://${CREDENTIALS}@127.0.0.1:${proxy.port}`;

describe('REST clients through a real forward proxy', () => {
  test('GET and DELETE with a JSON body go through the proxy, authenticated', async () => {
    const before = proxy.seen.length;
    const connections = new ConnectionsClient({
      bearerToken: TOKEN,
      baseUrl: base,
      proxy: proxyUrl(),
    });
    expect((await connections.list()).connections).toEqual([]);
    const killed = await connections.kill(['a-uuid', 'b-uuid']);
    expect(killed.successful).toBe(2);
    const seen = proxy.seen.slice(before);
    expect(seen.map((r) => [r.method, new URL(r.target).pathname, r.allowed])).toEqual([
      ['GET', '/2/connections', true],
      ['DELETE', '/2/connections', true],
    ]);
    expect(bodies.at(-1)).toBe('{"uuids":["a-uuid","b-uuid"]}');
  });

  test("'env' reads HTTP_PROXY and honours NO_PROXY", async () => {
    const saved = { ...process.env };
    try {
      process.env.HTTP_PROXY = proxyUrl();
      const before = proxy.seen.length;
      const report = await new UsageClient({
        bearerToken: TOKEN,
        baseUrl: base,
        proxy: 'env',
      }).get();
      expect(report.percentOfCap).toBe(10);
      expect(proxy.seen.length).toBe(before + 1);
      process.env.NO_PROXY = '127.0.0.1';
      await new UsageClient({ bearerToken: TOKEN, baseUrl: base, proxy: 'env' }).get();
      expect(proxy.seen.length).toBe(before + 1);
    } finally {
      process.env = saved;
    }
  });

  test('wrong proxy credentials are an error that never shows them', async () => {
    const bad = `http://proxy-user:wrong-password-123@127.0.0.1:${proxy.port}`;
    const error = await new UsageClient({ bearerToken: TOKEN, baseUrl: base, proxy: bad, retry: 0 })
      .get()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/407/);
    const texts = reachableStrings(error);
    expect(texts.some((t) => t.includes('wrong-password-123') || t.includes(TOKEN))).toBe(false);
  });

  test('a proxy with a custom fetch is refused', () => {
    expect(
      () => new UsageClient({ bearerToken: TOKEN, baseUrl: base, proxy: proxyUrl(), fetch }),
    ).toThrow(ConfigError);
  });
});
