import { isAuthenticationError, isConfigError, isRateLimitError } from '@birdstream/core';
import { useMswServer } from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { describe, expect, test } from 'vitest';
import { isRulesResponseError, SubscriptionsClient } from '../../src/index.js';
import { BASE, TOKEN } from '../support/server.js';

const server = useMswServer();
const LIST = `${BASE}/2/activity/subscriptions`;
const ONE = `${BASE}/2/activity/subscriptions/:id`;
const client = () => new SubscriptionsClient({ bearerToken: TOKEN, baseUrl: BASE, retry: 0 });

/** A subscription shaped as OpenAPI 2.159's `ActivitySubscription` (its example ids). */
function subscription(id: string, tag = 'bios') {
  return {
    subscription_id: id,
    event_type: 'profile.update.bio',
    filter: { user_id: '2244994945' },
    tag,
    created_at: '2025-01-01T00:00:00.000Z',
    updated_at: '2025-01-01T00:00:00.000Z',
  };
}

/** Records method, URL, headers and JSON body of each request. */
function recordRequests() {
  const requests: { method: string; url: URL; auth: string | null; body: unknown }[] = [];
  return {
    requests,
    async push(request: Request) {
      const text = await request.text();
      requests.push({
        method: request.method,
        url: new URL(request.url),
        auth: request.headers.get('authorization'),
        body: text ? JSON.parse(text) : undefined,
      });
    },
  };
}

describe('SubscriptionsClient', () => {
  test('list() follows next_token over every page', async () => {
    const log = recordRequests();
    server.use(
      http.get(LIST, async ({ request }) => {
        await log.push(request);
        const token = new URL(request.url).searchParams.get('pagination_token');
        return token === null
          ? HttpResponse.json({
              data: [subscription('1146654567674912769')],
              meta: { next_token: 'page2', result_count: 1 },
            })
          : HttpResponse.json({
              data: [subscription('1146654567674912770')],
              meta: { result_count: 1 },
            });
      }),
    );
    const all = await client().list({ maxResults: 1 });
    expect(all.map((s) => s.subscription_id)).toEqual([
      '1146654567674912769',
      '1146654567674912770',
    ]);
    expect(log.requests.map((r) => r.url.search)).toEqual([
      '?max_results=1',
      '?max_results=1&pagination_token=page2',
    ]);
    expect(log.requests[0]?.auth).toBe(`Bearer ${TOKEN}`);
  });

  test('list() of an app without subscriptions is []', async () => {
    server.use(http.get(LIST, () => HttpResponse.json({ meta: { result_count: 0 } })));
    expect(await client().list()).toEqual([]);
  });

  test('create() posts the subscription and returns it typed', async () => {
    const log = recordRequests();
    server.use(
      http.post(LIST, async ({ request }) => {
        await log.push(request);
        return HttpResponse.json(
          {
            data: { subscription: subscription('1146654567674912769') },
            meta: { total_subscriptions: 3 },
          },
          { status: 201 },
        );
      }),
    );
    const created = await client().create({
      event_type: 'profile.update.bio',
      filter: { user_id: '2244994945' },
      tag: 'bios',
    });
    expect(log.requests[0]?.body).toEqual({
      event_type: 'profile.update.bio',
      filter: { user_id: '2244994945' },
      tag: 'bios',
    });
    expect(created.subscription.subscription_id).toBe('1146654567674912769');
    expect(created.totalSubscriptions).toBe(3);
  });

  test('update() puts the new tag to /{id}', async () => {
    const log = recordRequests();
    server.use(
      http.put(ONE, async ({ request, params }) => {
        await log.push(request);
        return HttpResponse.json({
          data: { subscription: subscription(String(params.id), 'renamed') },
        });
      }),
    );
    const updated = await client().update('1146654567674912769', { tag: 'renamed' });
    expect(log.requests[0]?.method).toBe('PUT');
    expect(log.requests[0]?.url.pathname).toBe('/2/activity/subscriptions/1146654567674912769');
    expect(log.requests[0]?.body).toEqual({ tag: 'renamed' });
    expect(updated.tag).toBe('renamed');
  });

  test('delete() sends DELETE /{id} and reports what is left', async () => {
    const log = recordRequests();
    server.use(
      http.delete(ONE, async ({ request }) => {
        await log.push(request);
        return HttpResponse.json({ data: { deleted: true }, meta: { total_subscriptions: 2 } });
      }),
    );
    expect(await client().delete('1146654567674912769')).toEqual({
      deleted: true,
      totalSubscriptions: 2,
    });
    expect(log.requests[0]?.method).toBe('DELETE');
  });

  test('HTTP errors are core’s typed errors, without the token', async () => {
    server.use(
      http.delete(ONE, () =>
        HttpResponse.json(
          { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' },
          { status: 401 },
        ),
      ),
      http.get(LIST, () =>
        HttpResponse.json(
          { title: 'Too Many Requests', type: 'about:blank', status: 429 },
          { status: 429, headers: { 'x-rate-limit-reset': '1' } },
        ),
      ),
    );
    const unauthorized = await client()
      .delete('1')
      .catch((e: unknown) => e);
    expect(isAuthenticationError(unauthorized)).toBe(true);
    expect(JSON.stringify(unauthorized)).not.toContain(TOKEN);
    const limited = await client()
      .list()
      .catch((e: unknown) => e);
    expect(isRateLimitError(limited)).toBe(true);
  });

  test('a 200 with errors and no data is a RulesResponseError naming the problem', async () => {
    server.use(
      http.post(LIST, () =>
        HttpResponse.json({
          errors: [
            { title: 'Invalid Request', type: 'about:blank', detail: 'duplicate subscription' },
          ],
        }),
      ),
    );
    const error = await client()
      .create({ event_type: 'follow.follow', filter: { user_id: '1' } })
      .catch((e: unknown) => e);
    expect(isRulesResponseError(error)).toBe(true);
    expect((error as Error).message).toContain('duplicate subscription');
  });

  test('bad input is a ConfigError before any request', async () => {
    // msw answers nothing here: a request would fail the test.
    const c = client();
    const errors = await Promise.all([
      c.create({ event_type: 'follow.follow', filter: {} }).catch((e: unknown) => e),
      c.create({ event_type: '', filter: { user_id: '1' } }).catch((e: unknown) => e),
      c
        .create({ event_type: 'news.new', filter: { keyword: 'x'.repeat(151) } })
        .catch((e: unknown) => e),
      c.update('12', {}).catch((e: unknown) => e),
      c.update('abc', { tag: 't' }).catch((e: unknown) => e),
      c.delete('../rules').catch((e: unknown) => e),
      c.list({ maxResults: 101 }).catch((e: unknown) => e),
    ]);
    for (const error of errors) expect(isConfigError(error)).toBe(true);
  });

  test('JSON.stringify of the client has no token', () => {
    expect(JSON.stringify(client())).toBe(JSON.stringify({ baseUrl: BASE }));
  });
});
