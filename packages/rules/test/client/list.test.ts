import { isAuthenticationError } from '@birdstream/core';
import { recordedResponse, useMswServer } from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { describe, expect, test } from 'vitest';
import { MAX_IDS_PER_REQUEST, RulesClient } from '../../src/index.js';
import { FakeRulesServer } from '../support/fake-rules-server.js';
import { BASE, RULES_URL, TOKEN } from '../support/server.js';

const server = useMswServer();
const client = () => new RulesClient({ bearerToken: TOKEN, baseUrl: BASE });

describe('list', () => {
  test('parses the recorded GET rules body (no tag key when no tag was set)', async () => {
    const urls: URL[] = [];
    server.use(
      http.get(RULES_URL, ({ request }) => {
        urls.push(new URL(request.url));
        return recordedResponse('rules/get_200_rules.json');
      }),
    );
    const rules = await client().list();
    expect(rules).toEqual([
      { id: '1273636687768285186', value: 'meme has:images' },
      { id: '1273636687768285187', value: 'puppy has:media', tag: 'puppies with media' },
    ]);
    expect(urls).toHaveLength(1);
    expect(urls[0]?.search).toBe('');
  });

  test('the recorded GET 401 is an AuthenticationError carrying the problem', async () => {
    server.use(
      http.get(RULES_URL, () => recordedResponse('errors/rules_get_401_unauthorized.json')),
    );
    const error = await client()
      .list()
      .catch((e: unknown) => e);
    expect(isAuthenticationError(error)).toBe(true);
    expect(error).toMatchObject({ status: 401, title: 'Unauthorized', detail: 'Unauthorized' });
    expect((error as Error).message).toMatch(
      /^X API 401 Unauthorized while trying to list the filtered stream rules: Unauthorized/,
    );
  });

  test('no rules: data absent, result_count 0', async () => {
    server.use(
      http.get(RULES_URL, () => HttpResponse.json({ meta: { sent: 'x', result_count: 0 } })),
    );
    expect(await client().list()).toEqual([]);
  });

  test('follows next_token through every page with max_results', async () => {
    const fake = new FakeRulesServer(Array.from({ length: 7 }, (_, i) => ({ value: `rule${i}` })));
    server.use(...fake.handlers());
    const rules = await client().list({ maxResults: 3 });
    expect(rules.map((r) => r.value)).toEqual(fake.current().map((r) => r.value));
    expect(
      fake.requests.map((r) => [
        r.url.searchParams.get('max_results'),
        r.url.searchParams.get('pagination_token'),
      ]),
    ).toEqual([
      ['3', null],
      ['3', '0000000000000003'],
      ['3', '0000000000000006'],
    ]);
  });

  test('pages() yields page by page and stops requesting when the loop ends', async () => {
    const fake = new FakeRulesServer(Array.from({ length: 5 }, (_, i) => ({ value: `rule${i}` })));
    server.use(...fake.handlers());
    const seen: number[] = [];
    for await (const page of client().pages({ maxResults: 2 })) {
      seen.push(page.rules.length);
      expect(page).toMatchObject({ resultCount: 2, nextToken: '0000000000000002', errors: [] });
      break;
    }
    expect(seen).toEqual([2]);
    expect(fake.requests).toHaveLength(1);
  });

  test('pages() can start from a pagination token', async () => {
    const fake = new FakeRulesServer(Array.from({ length: 5 }, (_, i) => ({ value: `rule${i}` })));
    server.use(...fake.handlers());
    const pages = [];
    for await (const page of client().pages({ maxResults: 2, paginationToken: '0000000000000002' }))
      pages.push(page);
    expect(pages.map((p) => p.rules.map((r) => r.value))).toEqual([['rule2', 'rule3'], ['rule4']]);
  });

  test(`ids are sent ${MAX_IDS_PER_REQUEST} per request`, async () => {
    const requested: string[][] = [];
    server.use(
      http.get(RULES_URL, ({ request }) => {
        const ids = new URL(request.url).searchParams.get('ids')!.split(',');
        requested.push(ids);
        return HttpResponse.json({
          data: ids.map((id) => ({ id, value: `rule ${id}` })),
          meta: { sent: 'x', result_count: ids.length },
        });
      }),
    );
    const ids = Array.from({ length: 2345 }, (_, i) =>
      String(1_000_000_000_000_000_000n + BigInt(i)),
    );
    const rules = await client().list({ ids });
    expect(requested.map((chunk) => chunk.length)).toEqual([1000, 1000, 345]);
    expect(requested.flat()).toEqual(ids);
    expect(rules.map((r) => r.id)).toEqual(ids);
  });

  test('an empty ids list sends nothing', async () => {
    expect(await client().list({ ids: [] })).toEqual([]);
  });

  test.each([
    [{ ids: ['12', 'abc'] }, /id 2 is "abc"; rule ids are strings of 1 to 19 digits/],
    [{ ids: [1273636687] }, /id 1 is a number/],
    [{ ids: ['12345678901234567890'] }, /id 1 is "12345678901234567890"/],
    [{ maxResults: 0 }, /maxResults must be a whole number from 1 to 1000/],
    [{ maxResults: 1001 }, /maxResults must be a whole number from 1 to 1000/],
  ])('bad options %j are ConfigErrors', async (options, message) => {
    await expect(client().list(options as never)).rejects.toMatchObject({
      name: 'ConfigError',
      message: expect.stringMatching(message),
    });
  });

  test('errors that come with a page (unknown ids) are typed, not thrown', async () => {
    server.use(
      http.get(RULES_URL, () =>
        HttpResponse.json({
          meta: { sent: 'x', result_count: 0 },
          errors: [
            {
              title: 'Not Found Error',
              detail: 'Could not find rule with id: [42].',
              type: 'https://api.twitter.com/2/problems/resource-not-found',
              value: '42',
            },
          ],
        }),
      ),
    );
    const pages = [];
    for await (const page of client().pages({ ids: ['42'] })) pages.push(page);
    expect(pages[0]?.errors).toEqual([
      expect.objectContaining({
        kind: 'other',
        problemType: 'resource-not-found',
        value: '42',
        message: 'Could not find rule with id: [42].',
      }),
    ]);
  });

  test('a server that repeats a pagination token is stopped with a RulesResponseError', async () => {
    let calls = 0;
    server.use(
      http.get(RULES_URL, () => {
        calls++;
        return HttpResponse.json({
          data: [{ id: '1', value: 'a' }],
          meta: { sent: 'x', next_token: 'AAAAAAAAAAAAAAAA' },
        });
      }),
    );
    await expect(client().list()).rejects.toMatchObject({
      name: 'RulesResponseError',
      message: expect.stringContaining('the same pagination token came back twice'),
    });
    expect(calls).toBe(2);
  });
});
