import {
  isAuthenticationError,
  isBadRequestError,
  isConfigError,
  isRateLimitError,
  isResponseError,
} from '@birdstream/core';
import { useMswServer } from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { describe, expect, test } from 'vitest';
import { replayWindow, toReplayDate, WebhooksClient } from '../src/index.js';

const BASE = 'https://api.x.com';
const TOKEN =
  'AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid%2BULvsea4JtiGRiSDSJSI%3DEUifiRBkKG5E2XzMDjRfl76ZC9Ub0wnz4XsNiRVBChTYbJcE3F';
const server = useMswServer();

function client() {
  return new WebhooksClient({ bearerToken: TOKEN, baseUrl: BASE, retry: 0 });
}

interface Seen {
  method: string;
  url: URL;
  auth: string | null;
  userAgent: string | null;
  body: unknown;
}

function recorder() {
  const seen: Seen[] = [];
  return {
    seen,
    async push(request: Request) {
      const text = await request.text();
      seen.push({
        method: request.method,
        url: new URL(request.url),
        auth: request.headers.get('authorization'),
        userAgent: request.headers.get('user-agent'),
        body: text === '' ? undefined : JSON.parse(text),
      });
    },
  };
}

const WEBHOOK = {
  id: '1146654567674912769',
  url: 'https://example.com/webhooks/x',
  valid: true,
  created_at: '2026-05-01T12:00:00.000Z',
};

describe('WebhooksClient', () => {
  test('register() POSTs the URL to /2/webhooks and reads the webhook, wrapped in data or not', async () => {
    const log = recorder();
    let wrapped = true;
    server.use(
      http.post(`${BASE}/2/webhooks`, async ({ request }) => {
        await log.push(request);
        return HttpResponse.json(wrapped ? { data: WEBHOOK } : WEBHOOK);
      }),
    );
    expect(await client().register(WEBHOOK.url)).toEqual(WEBHOOK);
    wrapped = false;
    expect(await client().register(WEBHOOK.url)).toEqual(WEBHOOK);
    expect(log.seen[0]).toMatchObject({
      method: 'POST',
      body: { url: WEBHOOK.url },
      auth: `Bearer ${TOKEN}`,
    });
    expect(log.seen[0]?.userAgent).toMatch(/^birdstream-webhooks\/\d/);
  });

  test('register() refuses what X refuses, before any request', async () => {
    for (const [url, pattern] of [
      ['http://example.com/x', /https/],
      ['https://example.com:8443/x', /port/],
      [`https://example.com/${'x'.repeat(200)}`, /at most 200/],
      ['not a url', /absolute URL/],
    ] as const) {
      const error = await client()
        .register(url)
        .catch((e: unknown) => e);
      expect(isConfigError(error), url).toBe(true);
      expect((error as Error).message).toMatch(pattern);
    }
  });

  test('register() passes on X’s refusal (a failed CRC) as a typed error', async () => {
    server.use(
      http.post(`${BASE}/2/webhooks`, () =>
        HttpResponse.json(
          {
            errors: [
              {
                message:
                  'Webhook URL does not meet the requirements. Please consult: https://docs.x.com',
              },
            ],
            title: 'Invalid Request',
            detail: 'CRC check failed',
            type: 'https://api.x.com/2/problems/invalid-request',
            status: 400,
          },
          { status: 400 },
        ),
      ),
    );
    const error = await client()
      .register(WEBHOOK.url)
      .catch((e: unknown) => e);
    expect(isBadRequestError(error)).toBe(true);
    expect((error as Error).message).toContain('CRC check failed');
  });

  test('list(), validate(), delete()', async () => {
    const log = recorder();
    server.use(
      http.get(`${BASE}/2/webhooks`, async ({ request }) => {
        await log.push(request);
        return HttpResponse.json({
          data: [WEBHOOK, { ...WEBHOOK, id: '2', valid: false }],
          meta: { result_count: 2 },
        });
      }),
      http.put(`${BASE}/2/webhooks/:id`, async ({ request }) => {
        await log.push(request);
        return HttpResponse.json({ data: { attempted: true } });
      }),
      http.delete(`${BASE}/2/webhooks/:id`, async ({ request }) => {
        await log.push(request);
        return HttpResponse.json({ data: { deleted: true } });
      }),
    );
    const listed = await client().list();
    expect(listed.map((w) => [w.id, w.valid])).toEqual([
      ['1146654567674912769', true],
      ['2', false],
    ]);
    expect(await client().validate('2')).toEqual({ attempted: true });
    expect(await client().delete('2')).toEqual({ deleted: true });
    expect(log.seen.map((s) => `${s.method} ${s.url.pathname}${s.url.search}`)).toEqual([
      'GET /2/webhooks?webhook_config.fields=created_at%2Cid%2Curl%2Cvalid',
      'PUT /2/webhooks/2',
      'DELETE /2/webhooks/2',
    ]);
    expect(
      isConfigError(
        await client()
          .delete('abc')
          .catch((e: unknown) => e),
      ),
    ).toBe(true);
  });

  test('link() sends the stream’s fields as query parameters; links() reads them back; unlink()', async () => {
    const log = recorder();
    server.use(
      http.post(`${BASE}/2/tweets/search/webhooks/:id`, async ({ request }) => {
        await log.push(request);
        return HttpResponse.json({ data: { provisioned: true } });
      }),
      http.get(`${BASE}/2/tweets/search/webhooks`, () =>
        HttpResponse.json({
          data: {
            links: [
              {
                webhook_id: WEBHOOK.id,
                fields: ['tweet.fields=created_at,lang', 'expansions=author_id'],
                created_at: '2026-05-01T12:01:00.000Z',
                instance_id: '1',
                application_id: '2',
              },
            ],
          },
        }),
      ),
      http.delete(`${BASE}/2/tweets/search/webhooks/:id`, async ({ request }) => {
        await log.push(request);
        return HttpResponse.json({ data: { deleted: true } });
      }),
    );
    const fields = { 'tweet.fields': ['created_at', 'lang'], expansions: ['author_id'] } as const;
    expect(await client().link(WEBHOOK.id, fields)).toEqual({ provisioned: true });
    const sent = log.seen[0]?.url;
    expect(sent?.pathname).toBe(`/2/tweets/search/webhooks/${WEBHOOK.id}`);
    expect(sent?.searchParams.get('tweet.fields')).toBe('created_at,lang');
    expect(sent?.searchParams.get('expansions')).toBe('author_id');
    const [link] = await client().links();
    expect(link?.webhookId).toBe(WEBHOOK.id);
    expect(link?.params).toEqual({
      'tweet.fields': ['created_at', 'lang'],
      expansions: ['author_id'],
    });
    expect(await client().unlink(WEBHOOK.id)).toEqual({ deleted: true });
    const error = await client()
      .link(WEBHOOK.id, { backfill_minutes: 5 } as never)
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/"backfill_minutes" is not one of them/);
  });

  test('replay() sends yyyymmddhhmm UTC dates within the last 24 h', async () => {
    const log = recorder();
    server.use(
      http.post(`${BASE}/2/webhooks/replay`, async ({ request }) => {
        await log.push(request);
        return HttpResponse.json({
          data: { job_id: '1915510368169844736', created_at: '2026-05-01T12:00:00.000Z' },
        });
      }),
    );
    const now = Date.UTC(2026, 4, 1, 12, 0, 30);
    const job = await client().replay(WEBHOOK.id, { from: now - 90 * 60_000 }, { now });
    expect(log.seen[0]?.body).toEqual({
      webhook_id: WEBHOOK.id,
      from_date: '202605011030',
      to_date: '202605011200',
    });
    expect(job).toEqual({
      jobId: '1915510368169844736',
      createdAt: '2026-05-01T12:00:00.000Z',
      fromDate: '202605011030',
      toDate: '202605011200',
    });
  });

  test('replay windows are checked as X checks them', () => {
    const now = Date.UTC(2026, 4, 1, 12, 0, 0);
    expect(toReplayDate(Date.UTC(2026, 0, 2, 3, 4, 59))).toBe('202601020304');
    expect(() => replayWindow(now - 25 * 3_600_000, now, now)).toThrow(/last 24 hours/);
    expect(() => replayWindow(now - 60_000, now + 3_600_000, now)).toThrow(/future/);
    expect(() => replayWindow(now, now - 60_000, now)).toThrow(/start before it ends/);
    // A start a few seconds past the horizon (a rounding) is moved to the first accepted minute.
    expect(replayWindow(now - 24 * 3_600_000 - 5_000, now, now).from_date).toBe('202604301200');
  });

  test('HTTP errors are core’s typed errors, without the token; an unreadable 200 is a ResponseError', async () => {
    server.use(
      http.get(`${BASE}/2/webhooks`, () =>
        HttpResponse.json(
          { title: 'Unauthorized', type: 'about:blank', status: 401, detail: `Bearer ${TOKEN}` },
          { status: 401 },
        ),
      ),
      http.get(`${BASE}/2/tweets/search/webhooks`, () =>
        HttpResponse.json(
          { title: 'Too Many Requests', type: 'about:blank', status: 429 },
          { status: 429 },
        ),
      ),
      http.put(`${BASE}/2/webhooks/:id`, () =>
        HttpResponse.json({ errors: [{ title: 'Not found', type: 'about:blank' }] }),
      ),
    );
    const unauthorized = await client()
      .list()
      .catch((e: unknown) => e);
    expect(isAuthenticationError(unauthorized)).toBe(true);
    expect(JSON.stringify(unauthorized)).not.toContain(TOKEN);
    expect(String((unauthorized as Error).message)).not.toContain(TOKEN);
    expect(
      isRateLimitError(
        await client()
          .links()
          .catch((e: unknown) => e),
      ),
    ).toBe(true);
    const noData = await client()
      .validate('1')
      .catch((e: unknown) => e);
    expect(isResponseError(noData)).toBe(true);
    expect((noData as Error).message).toMatch(/list the webhooks to see where they stand/);
  });

  test('no token: a ConfigError that says where to put it; toJSON has no token', () => {
    expect(() => new WebhooksClient({ bearerToken: '' })).toThrow(/No bearer token/);
    expect(JSON.stringify(client())).toBe(JSON.stringify({ baseUrl: BASE }));
  });
});
