import {
  isApiError,
  isConfigError,
  isConnectionError,
  isFirstConnectionError,
  proxyFailureOf,
  proxyOriginFor,
  StreamClient,
  StreamResponse,
  systemClock,
} from '@birdstream/core';
import { startForwardProxy } from '@birdstream/test-utils';
import { afterEach, describe, expect, test } from 'vitest';
import { createNodeTransport } from '../../src/transport/node-transport.js';
import { openConnection } from '../../src/transport/open-connection.js';
import { createProxyResolver } from '../../src/transport/proxy.js';
import { postLine } from '../helpers/messages.js';
import { startLoopback, TLS } from './loopback.js';

const TOKEN = 'proxyTestBearer77';
const USER = 'proxy-user';
const PASSWORD = 'pr0xy:Secret/é';
const CREDENTIALS = `${encodeURIComponent(USER)}:${encodeURIComponent(PASSWORD)}`;

/** Every place a credential could leak to: message, JSON, causes, stack. */
function everything(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    parts.push(String(current), JSON.stringify(current) ?? '', (current as Error).stack ?? '');
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join('\n');
}

function expectNoCredentials(text: string) {
  for (const secret of [
    PASSWORD,
    encodeURIComponent(PASSWORD),
    TOKEN,
    Buffer.from(`${USER}:${PASSWORD}`).toString('base64'),
  ]) {
    expect(text).not.toContain(secret);
  }
}

function streamingServer() {
  return startLoopback().then((server) => {
    server.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`${postLine('1')}${postLine('2')}`);
    };
    return server;
  });
}

async function ids(connection: AsyncIterable<{ type: string; response?: unknown }>) {
  const out: string[] = [];
  for await (const message of connection) {
    if (message.type === 'response')
      out.push((message.response as { data: { id: string } }).data.id);
  }
  return out;
}

describe('proxy: a real forward proxy on 127.0.0.1', () => {
  test('plain http target: an absolute-form request with Proxy-Authorization, which the target never sees', async () => {
    const target = await streamingServer();
    const proxy = await startForwardProxy(`${USER}:${PASSWORD}`);
    const client = new StreamClient({
      bearerToken: TOKEN,
      baseUrl: target.url,
      proxy: `http://${CREDENTIALS}@${proxy.url.slice('http://'.length)}`,
    });
    expect(await ids(await client.connect('filter', {}))).toEqual(['1', '2']);
    expect(proxy.seen).toHaveLength(1);
    expect(proxy.seen[0]!.method).toBe('GET');
    expect(proxy.seen[0]!.target).toBe(`${target.url}/2/tweets/search/stream`);
    expect(target.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(target.requests[0]!.headers['proxy-authorization']).toBeUndefined();
    expectNoCredentials(JSON.stringify(client));
  });

  test('https target: a CONNECT tunnel, TLS inside it; the proxy never sees the token', async () => {
    const target = await startLoopback(true);
    target.handler = (_req, res) => {
      res.writeHead(200);
      res.end(`${postLine('1')}${postLine('2')}`);
    };
    const proxy = await startForwardProxy(`${USER}:${PASSWORD}`);
    const transport = createNodeTransport({
      proxy: createProxyResolver(`http://${CREDENTIALS}@${proxy.url.slice('http://'.length)}`),
      tls: { ca: TLS.cert },
    });
    const connection = await openConnection(
      {
        url: `${target.url}/2/tweets/search/stream`,
        label: 'filtered stream',
        schema: StreamResponse,
        headers: { authorization: `Bearer ${TOKEN}` },
        transport,
        clock: systemClock,
        connectTimeoutMs: 10_000,
      },
      {},
    );
    expect(await ids(connection)).toEqual(['1', '2']);
    expect(proxy.seen.map((s) => [s.method, s.target])).toEqual([
      ['CONNECT', `127.0.0.1:${new URL(target.url).port}`],
    ]);
    expect(proxy.seen[0]!.proxyAuthorization).toMatch(/^Basic /);
    expect(target.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(target.requests[0]!.headers['proxy-authorization']).toBeUndefined();
    transport.destroy();
  });

  test('wrong proxy credentials: 407 for http (ApiError) and for CONNECT (ConnectionError), never echoing them', async () => {
    const target = await streamingServer();
    const proxy = await startForwardProxy('someone:else');
    const proxyUrl = `http://${CREDENTIALS}@${proxy.url.slice('http://'.length)}`;
    const plain = await new StreamClient({
      bearerToken: TOKEN,
      baseUrl: target.url,
      proxy: proxyUrl,
    })
      .connect('filter', {})
      .catch((e: unknown) => e);
    expect(isApiError(plain)).toBe(true);
    expect((plain as { status: number }).status).toBe(407);
    expectNoCredentials(everything(plain));

    const secure = await startLoopback(true);
    const tunnelled = await openConnection(
      {
        url: `${secure.url}/2/tweets/search/stream`,
        label: 'filtered stream',
        schema: StreamResponse,
        headers: { authorization: `Bearer ${TOKEN}` },
        transport: createNodeTransport({
          proxy: createProxyResolver(proxyUrl),
          tls: { ca: TLS.cert },
        }),
        clock: systemClock,
        connectTimeoutMs: 10_000,
      },
      {},
    ).catch((e: unknown) => e);
    expect(isConnectionError(tunnelled)).toBe(true);
    expect((tunnelled as Error).message).toContain(
      `the proxy at ${proxy.url} refused its credentials (HTTP 407 Proxy Authentication Required)`,
    );
    expect(proxyFailureOf(tunnelled)?.hop).toBe('proxy-auth');
    expectNoCredentials(everything(tunnelled));
    expect(target.requests).toHaveLength(0);
    expect(secure.requests).toHaveLength(0);
  });

  test('an unreachable proxy is a ConnectionError that names the proxy (without credentials)', async () => {
    const target = await streamingServer();
    const gone = await startLoopback();
    const url = gone.url;
    await gone.close();
    const error = await openConnection(
      {
        url: 'https://api.x.com/2/tweets/search/stream',
        label: 'filtered stream',
        schema: StreamResponse,
        headers: {},
        transport: createNodeTransport({
          proxy: createProxyResolver(`http://${CREDENTIALS}@${url.slice('http://'.length)}`),
        }),
        clock: systemClock,
        connectTimeoutMs: 10_000,
      },
      {},
    ).catch((e: unknown) => e);
    expect(isConnectionError(error)).toBe(true);
    expect((error as Error).message).toContain(`the proxy at ${url} could not be reached`);
    expect(proxyFailureOf(error)?.hop).toBe('proxy-unreachable');
    expectNoCredentials(everything(error));
    expect(target.requests).toHaveLength(0);
  });

  test('the hop that failed is named: proxy unreachable, or the API unreachable from the proxy (CONNECT 502)', async () => {
    const gone = await startLoopback(true);
    const deadTarget = gone.url;
    await gone.close();
    const proxy = await startForwardProxy();
    const upstream = await openConnection(
      {
        url: `${deadTarget}/2/tweets/search/stream`,
        label: 'filtered stream',
        schema: StreamResponse,
        headers: {},
        transport: createNodeTransport({ proxy: createProxyResolver(proxy.url) }),
        clock: systemClock,
        connectTimeoutMs: 10_000,
      },
      {},
    ).catch((e: unknown) => e);
    expect(proxyFailureOf(upstream)).toMatchObject({ hop: 'proxy-upstream', status: 502 });
    expect((upstream as Error).message).toContain(
      `the proxy at ${proxy.url} could not reach ${new URL(deadTarget).host} (HTTP 502 from the proxy)`,
    );
    await proxy.close();

    // A stream that never connects says so in FirstConnectionError, naming the proxy's hop.
    const deadProxy = await startLoopback();
    const proxyUrl = deadProxy.url;
    await deadProxy.close();
    const stream = new StreamClient({
      bearerToken: TOKEN,
      baseUrl: 'http://127.0.0.1:1',
      proxy: proxyUrl,
    }).filter({}, { firstConnection: { maxAttempts: 1 } });
    const failed = await (async () => {
      for await (const _ of stream) return undefined;
    })().catch((e: unknown) => e);
    expect(isFirstConnectionError(failed)).toBe(true);
    expect(failed).toMatchObject({ reason: 'proxy', proxyHop: 'proxy-unreachable' });
    expect((failed as Error).message).toContain(
      `Could not connect to http://127.0.0.1:1/2/tweets/search/stream: the proxy at ${proxyUrl} could not be reached (ECONNREFUSED) (1 attempt`,
    );
    expect((failed as Error).message).toContain('Check that the proxy runs at that address');
    expect((failed as Error).message).not.toMatch(/baseUrl/);
  });
});

describe("proxy: 'env' reads HTTPS_PROXY / HTTP_PROXY / NO_PROXY", () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of [
      'HTTP_PROXY',
      'HTTPS_PROXY',
      'NO_PROXY',
      'http_proxy',
      'https_proxy',
      'no_proxy',
    ]) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  test('HTTP_PROXY is used for an http target, and NO_PROXY bypasses it', async () => {
    const target = await streamingServer();
    const proxy = await startForwardProxy();
    process.env.HTTP_PROXY = proxy.url;
    delete process.env.NO_PROXY;
    delete process.env.no_proxy;
    const viaProxy = new StreamClient({ bearerToken: TOKEN, baseUrl: target.url, proxy: 'env' });
    expect(await ids(await viaProxy.connect('filter', {}))).toEqual(['1', '2']);
    expect(proxy.seen).toHaveLength(1);

    process.env.NO_PROXY = 'example.com, 127.0.0.1';
    const direct = new StreamClient({ bearerToken: TOKEN, baseUrl: target.url, proxy: 'env' });
    expect(await ids(await direct.connect('filter', {}))).toEqual(['1', '2']);
    expect(proxy.seen).toHaveLength(1);
    expect(target.requests).toHaveLength(2);
  });

  test('without proxy: "env" the variables are ignored', async () => {
    const target = await streamingServer();
    const proxy = await startForwardProxy();
    process.env.HTTP_PROXY = proxy.url;
    const client = new StreamClient({ bearerToken: TOKEN, baseUrl: target.url });
    expect(await ids(await client.connect('filter', {}))).toEqual(['1', '2']);
    expect(proxy.seen).toHaveLength(0);
  });

  test('proxyOriginFor tells which proxy a URL would use, without credentials', () => {
    const env = {
      HTTPS_PROXY: `http://${CREDENTIALS}@proxy.local:3128`,
      NO_PROXY: '.internal.example,localhost:8080',
    };
    expect(proxyOriginFor('https://api.x.com/2/tweets', 'env', env)).toBe(
      'http://proxy.local:3128',
    );
    expect(proxyOriginFor('https://a.internal.example/x', 'env', env)).toBeUndefined();
    expect(proxyOriginFor('https://internal.example/x', 'env', env)).toBeUndefined();
    expect(proxyOriginFor('https://localhost:8080/x', 'env', env)).toBeUndefined();
    expect(proxyOriginFor('https://localhost:8081/x', 'env', env)).toBe('http://proxy.local:3128');
    expect(proxyOriginFor('http://api.x.com/', 'env', env)).toBeUndefined(); // no HTTP_PROXY
    expect(proxyOriginFor('http://api.x.com/', 'proxy.local:8080')).toBe('http://proxy.local:8080');
    expect(
      proxyOriginFor('http://api.x.com/', 'env', {
        ...env,
        NO_PROXY: '*',
        HTTP_PROXY: 'http://p:1',
      }),
    ).toBeUndefined();
  });
});

describe('proxy: configuration errors', () => {
  test('a proxy URL that is not http:// is a ConfigError that does not repeat it', () => {
    for (const proxy of [
      `socks5://${CREDENTIALS}@127.0.0.1:1080`,
      `https://${CREDENTIALS}@proxy:443`,
      'http://[bad',
    ]) {
      let error: unknown;
      try {
        new StreamClient({ bearerToken: 't', proxy });
      } catch (e) {
        error = e;
      }
      expect(isConfigError(error)).toBe(true);
      expectNoCredentials(everything(error));
    }
  });

  test("with the caller's own fetch, a proxy option is a ConfigError that says what to do", () => {
    expect(
      () => new StreamClient({ bearerToken: 't', fetch, proxy: 'http://127.0.0.1:3128' }),
    ).toThrow(/proxy option works with the Node transport only; with your own fetch/);
  });
});
