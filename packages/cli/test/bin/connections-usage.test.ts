import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ForwardProxy, startForwardProxy } from '@birdstream/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../helpers/bin.js';
import { expectNoToken, expectOneLineError, TOKEN } from '../helpers/env.js';

/** The Connections and usage endpoints, answered like X does, on 127.0.0.1. */
let server: Server;
let url: string;
const seen: { method: string; path: string; body: string }[] = [];
const open = new Map([
  ['11111111-aaaa-4000-8000-000000000001', 'filtered_stream'],
  ['22222222-bbbb-4000-8000-000000000002', 'sample_stream'],
]);

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const u = new URL(req.url ?? '/', 'http://localhost');
    seen.push({ method: req.method ?? '', path: u.pathname + u.search, body });
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      return json(401, {
        title: 'Unauthorized',
        type: 'about:blank',
        status: 401,
        detail: 'Unauthorized',
      });
    }
    if (req.method === 'GET' && u.pathname === '/2/connections') {
      const wanted = u.searchParams.get('endpoints')?.split(',');
      const data = [...open]
        .filter(([, e]) => wanted === undefined || wanted.includes(e))
        .map(([id, endpoint_name]) => ({
          id,
          endpoint_name,
          connected_at: '2026-12-03T06:00:00.000Z',
          client_ip: '127.0.0.1',
        }));
      return json(
        200,
        data.length ? { data, meta: { result_count: data.length } } : { meta: { result_count: 0 } },
      );
    }
    if (req.method === 'DELETE' && u.pathname.startsWith('/2/connections')) {
      const rest = u.pathname.slice('/2/connections'.length);
      let ids: string[];
      if (rest === '/all') ids = [...open.keys()];
      else if (rest === '') ids = (JSON.parse(body) as { uuids: string[] }).uuids;
      else ids = [...open].filter(([, e]) => e === rest.slice(1)).map(([id]) => id);
      const results = ids.map((uuid) =>
        open.delete(uuid)
          ? { uuid, success: true }
          : { uuid, success: false, error_message: 'not found' },
      );
      const ok = results.filter((r) => r.success).length;
      return json(200, {
        data: { successful_kills: ok, failed_kills: results.length - ok, results },
      });
    }
    if (req.method === 'GET' && u.pathname === '/2/usage/tweets') {
      return json(200, {
        data: {
          cap_reset_day: 9,
          project_cap: 3000000,
          project_usage: 1500000,
          daily_project_usage: {
            project_id: 1,
            usage: [{ date: '2026-12-02T00:00:00.000Z', usage: 41000 }],
          },
        },
      });
    }
    json(404, { title: 'Not Found Error', type: 'about:blank', status: 404, detail: 'no route' });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const env = () => ({ X_BEARER_TOKEN: TOKEN, BIRDSTREAM_BASE_URL: url });

describe('birdstream connections', () => {
  it('lists the open connections as a table, filtered by endpoint', async () => {
    const result = await runBin(['connections', 'list', '--endpoints', 'filtered_stream'], {
      env: env(),
    });
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+ENDPOINT\s+CONNECTED\s+DISCONNECTED\s+CLIENT IP$/);
    expect(lines[1]).toMatch(
      /^11111111-aaaa-4000-8000-000000000001\s+filtered_stream\s+2026-12-03T06:00:00.000Z\s+open\s+127.0.0.1$/,
    );
    expect(lines.at(-1)).toBe('1 connection.');
    expect(seen.at(-1)?.path).toContain('endpoints=filtered_stream');
    expectNoToken(result);
  });

  it('refuses an unknown endpoint id, naming the valid ones', async () => {
    const result = await runBin(['connections', 'list', '--endpoints', 'filtered'], { env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /unknown value 'filtered'\. Valid values: filtered_stream, sample_stream/,
    );
  });

  it('kills by endpoint, then by UUID (exit 1 when one could not be killed)', async () => {
    const byEndpoint = await runBin(['connections', 'kill', '--endpoint', 'filtered_stream'], {
      env: env(),
    });
    expect(byEndpoint.code).toBe(0);
    expect(byEndpoint.stdout).toBe('Terminated 1 connection.\n');
    const byUuid = await runBin(
      ['connections', 'kill', '22222222-bbbb-4000-8000-000000000002', 'gone'],
      { env: env() },
    );
    expect(byUuid.code).toBe(1);
    expect(byUuid.stdout).toBe(
      'Terminated 1 connection.\nCould not terminate 1:\n  gone: not found\n',
    );
    const listed = await runBin(['connections', 'list', '--json'], { env: env() });
    expect(JSON.parse(listed.stdout)).toEqual({ connections: [] });
  });

  it('needs exactly one of UUIDs, --endpoint, --all', async () => {
    const result = await runBin(['connections', 'kill'], { env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/exactly one of: connection UUIDs, --endpoint <id>, or --all/);
  });

  it('a wrong token is one clear line without the token', async () => {
    const result = await runBin(['connections', 'list'], {
      env: { X_BEARER_TOKEN: `${TOKEN}x`, BIRDSTREAM_BASE_URL: url },
    });
    expect(result.code).toBe(2);
    expectOneLineError(result.stderr, /401/);
    expectNoToken(result);
  });
});

describe('birdstream usage', () => {
  it('shows the reads against the cap and per day', async () => {
    const result = await runBin(['usage', '--days', '1'], { env: env() });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        'Posts read this period: 1,500,000 of 3,000,000 (50.0 %)',
        'The cap resets in 9 days.',
        '',
        'Day         Posts',
        '2026-12-02  41,000',
        '',
      ].join('\n'),
    );
    expect(seen.at(-1)?.path).toContain('days=1');
  });

  it('refuses --days out of range', async () => {
    const result = await runBin(['usage', '--days', '0'], { env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--days must be a whole number from 1 to 90/);
  });
});

describe('the REST commands honour proxies', () => {
  const CREDENTIALS = 'cli-proxy-user:cli-proxy-pass-42';
  let proxy: ForwardProxy;
  beforeAll(async () => {
    proxy = await startForwardProxy(CREDENTIALS);
  });
  afterAll(() => proxy.close());

  it('usage goes through HTTP_PROXY, and the credentials are never printed', async () => {
    const before = proxy.seen.length;
    const result = await runBin(['usage', '--days', '1'], {
      env: { ...env(), HTTP_PROXY: `http://${CREDENTIALS}@127.0.0.1:${proxy.port}` },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Posts read this period: 1,500,000 of 3,000,000/);
    expect(proxy.seen.slice(before).map((r) => [r.method, r.allowed])).toEqual([['GET', true]]);
    expect(`${result.stdout}${result.stderr}`).not.toContain('cli-proxy-pass-42');
  });

  it('connections list takes --proxy; NO_PROXY bypasses it', async () => {
    const before = proxy.seen.length;
    const viaFlag = await runBin(
      ['connections', 'list', '--json', '--proxy', `http://${CREDENTIALS}@127.0.0.1:${proxy.port}`],
      { env: env() },
    );
    expect(viaFlag.code).toBe(0);
    expect(proxy.seen.length).toBe(before + 1);
    const bypassed = await runBin(['connections', 'list', '--json'], {
      env: {
        ...env(),
        HTTP_PROXY: `http://${CREDENTIALS}@127.0.0.1:${proxy.port}`,
        NO_PROXY: '127.0.0.1',
      },
    });
    expect(bypassed.code).toBe(0);
    expect(proxy.seen.length).toBe(before + 1);
  });

  it('a refused proxy login is one line that never shows the password', async () => {
    const result = await runBin(['usage'], {
      env: {
        ...env(),
        HTTP_PROXY: `http://cli-proxy-user:not-the-password-7@127.0.0.1:${proxy.port}`,
      },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/407/);
    expect(`${result.stdout}${result.stderr}`).not.toContain('not-the-password-7');
  });
});
