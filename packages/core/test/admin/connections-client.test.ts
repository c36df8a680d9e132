import {
  AuthenticationError,
  ConfigError,
  ConnectionsClient,
  isResponseError,
  UsageClient,
} from '@birdstream/core';
import { recordedResponse, useMswServer } from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { describe, expect, test } from 'vitest';
import { reachableStrings } from '../helpers/secrets.js';

const server = useMswServer();
const BASE = 'https://api.x.com';
const TOKEN = 'AAAAtoken-for-admin-tests';

function client() {
  return new ConnectionsClient({ bearerToken: TOKEN, baseUrl: BASE, retry: 0 });
}

const CONNECTION = {
  id: 'c0ffee00-0000-4000-8000-000000000001',
  endpoint_name: 'filtered_stream',
  connected_at: '2026-12-01T10:00:00.000Z',
  client_ip: '203.0.113.7',
};

describe('ConnectionsClient.list', () => {
  test('sends the filters and every field by default, and types the page', async () => {
    let url: URL | undefined;
    let authorization: string | null = null;
    server.use(
      http.get(`${BASE}/2/connections`, ({ request }) => {
        url = new URL(request.url);
        authorization = request.headers.get('authorization');
        return HttpResponse.json({
          data: [CONNECTION],
          meta: { result_count: 1, next_token: 'next-page-token1' },
        });
      }),
    );
    const page = await client().list({ endpoints: ['filtered_stream', 'sample_stream'] });
    expect(authorization).toBe(`Bearer ${TOKEN}`);
    expect(url?.searchParams.get('status')).toBe('active');
    expect(url?.searchParams.get('endpoints')).toBe('filtered_stream,sample_stream');
    expect(url?.searchParams.get('max_results')).toBe('100');
    expect(url?.searchParams.get('connection.fields')).toBe(
      'client_ip,connected_at,disconnect_reason,disconnected_at,endpoint_name,id',
    );
    expect(page.connections).toEqual([CONNECTION]);
    expect(page.nextToken).toBe('next-page-token1');
  });

  test('listAll follows next_token until the last page', async () => {
    const tokens: (string | null)[] = [];
    server.use(
      http.get(`${BASE}/2/connections`, ({ request }) => {
        const token = new URL(request.url).searchParams.get('pagination_token');
        tokens.push(token);
        if (token === null) {
          return HttpResponse.json({ data: [CONNECTION], meta: { next_token: 'p2' } });
        }
        return HttpResponse.json({ data: [{ ...CONNECTION, id: 'second' }], meta: {} });
      }),
    );
    const all = [];
    for await (const c of client().listAll({ status: 'all' })) all.push(c.id);
    expect(all).toEqual([CONNECTION.id, 'second']);
    expect(tokens).toEqual([null, 'p2']);
  });

  test('an empty list (no data key) is an empty array', async () => {
    server.use(
      http.get(`${BASE}/2/connections`, () => HttpResponse.json({ meta: { result_count: 0 } })),
    );
    expect((await client().list()).connections).toEqual([]);
  });

  test('refuses an unknown endpoint id and a bad maxResults before any request', async () => {
    await expect(client().list({ endpoints: ['filtered' as never] })).rejects.toThrow(ConfigError);
    await expect(client().list({ maxResults: 101 })).rejects.toThrow(/1 to 100/);
  });

  test('a 401 is an AuthenticationError that does not contain the token', async () => {
    server.use(
      http.get(`${BASE}/2/connections`, () =>
        recordedResponse('errors/rules_get_401_unauthorized.json', 401),
      ),
    );
    const error = await client()
      .list()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(reachableStrings(error).some((s) => s.includes(TOKEN))).toBe(false);
  });

  test('a body of the wrong shape is a ResponseError naming the operation', async () => {
    server.use(http.get(`${BASE}/2/connections`, () => HttpResponse.json({ data: 'nope' })));
    const error = await client()
      .list()
      .catch((e: unknown) => e);
    expect(isResponseError(error)).toBe(true);
    expect((error as Error).message).toMatch(/list the stream connections with HTTP 200/);
  });
});

describe('ConnectionsClient kills', () => {
  const killed = {
    data: {
      successful_kills: 1,
      failed_kills: 1,
      results: [
        { uuid: 'a', success: true },
        { uuid: 'b', success: false, error_message: 'already closed' },
      ],
    },
  };

  test('killAll, killEndpoint and kill use X’s three DELETE routes', async () => {
    const seen: string[] = [];
    server.use(
      http.delete(`${BASE}/2/connections/all`, () => {
        seen.push('all');
        return HttpResponse.json(killed);
      }),
      http.delete(`${BASE}/2/connections/:endpoint`, ({ params }) => {
        seen.push(`endpoint:${String(params.endpoint)}`);
        return HttpResponse.json(killed);
      }),
      http.delete(`${BASE}/2/connections`, async ({ request }) => {
        seen.push(`uuids:${JSON.stringify(await request.json())}`);
        return HttpResponse.json(killed);
      }),
    );
    const c = client();
    const all = await c.killAll();
    expect(all).toEqual({
      successful: 1,
      failed: 1,
      results: killed.data.results,
      errors: [],
    });
    await c.killEndpoint('firehose_stream');
    await c.kill(['a', 'b', 'a']);
    expect(seen).toEqual(['all', 'endpoint:firehose_stream', 'uuids:{"uuids":["a","b"]}']);
  });

  test('more than 100 UUIDs go in several requests and the results add up', async () => {
    const sizes: number[] = [];
    server.use(
      http.delete(`${BASE}/2/connections`, async ({ request }) => {
        const { uuids } = (await request.json()) as { uuids: string[] };
        sizes.push(uuids.length);
        return HttpResponse.json({
          data: {
            successful_kills: uuids.length,
            failed_kills: 0,
            results: uuids.map((uuid) => ({ uuid, success: true })),
          },
        });
      }),
    );
    const uuids = Array.from({ length: 230 }, (_, i) => `u${i}`);
    const summary = await client().kill(uuids);
    expect(sizes).toEqual([100, 100, 30]);
    expect(summary.successful).toBe(230);
    expect(summary.results.map((r) => r.uuid)).toEqual(uuids);
  });

  test('kill() refuses an empty list', async () => {
    await expect(client().kill([])).rejects.toThrow(/non-empty array/);
  });
});

describe('UsageClient', () => {
  test('reads usage and computes the share of the cap', async () => {
    let url: URL | undefined;
    server.use(
      http.get(`${BASE}/2/usage/tweets`, ({ request }) => {
        url = new URL(request.url);
        return HttpResponse.json({
          data: {
            cap_reset_day: 12,
            project_cap: 3_000_000,
            project_id: '1234567890123456789',
            project_usage: 750_000,
            daily_project_usage: {
              project_id: 42,
              usage: [{ date: '2026-12-02T00:00:00.000Z', usage: 25_000 }],
            },
          },
        });
      }),
    );
    const report = await new UsageClient({ bearerToken: TOKEN, baseUrl: BASE }).get({ days: 1 });
    expect(url?.searchParams.get('days')).toBe('1');
    expect(url?.searchParams.get('usage.fields')).toContain('project_cap');
    expect(report.percentOfCap).toBe(25);
    expect(report.usage.daily_project_usage?.usage[0]?.usage).toBe(25_000);
  });

  test('no cap reported: percentOfCap is undefined', async () => {
    server.use(
      http.get(`${BASE}/2/usage/tweets`, () => HttpResponse.json({ data: { project_usage: 5 } })),
    );
    const report = await new UsageClient({ bearerToken: TOKEN, baseUrl: BASE }).get();
    expect(report.percentOfCap).toBeUndefined();
  });

  test('days outside 1–90 is a ConfigError', async () => {
    await expect(
      new UsageClient({ bearerToken: TOKEN, baseUrl: BASE }).get({ days: 91 }),
    ).rejects.toThrow(/1 to 90/);
  });
});
