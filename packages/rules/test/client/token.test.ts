import { inspect } from 'node:util';
import { recordedResponse, useMswServer } from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { describe, expect, test } from 'vitest';
import { RulesClient } from '../../src/index.js';
import { BASE, RULES_URL, TOKEN } from '../support/server.js';

const server = useMswServer();

/** Everything someone could print or log about a value. */
function everyRendering(value: unknown): string {
  const parts = [
    JSON.stringify(value) ?? '',
    String(value),
    inspect(value, { depth: 20, showHidden: true, getters: true }),
  ];
  if (value instanceof Error) parts.push(value.message, value.stack ?? '');
  return parts.join('\n');
}

function expectNoToken(value: unknown) {
  const text = everyRendering(value);
  expect(text).not.toContain(TOKEN);
  expect(text).not.toContain(TOKEN.slice(10, 40));
}

async function failure(
  run: (client: RulesClient) => Promise<unknown>,
  options = {},
): Promise<unknown> {
  const client = new RulesClient({ bearerToken: TOKEN, baseUrl: BASE, retry: 0, ...options });
  const error = await run(client).then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error;
}

describe('the bearer token never leaks', () => {
  test('not from the client itself', () => {
    const client = new RulesClient({ bearerToken: TOKEN, baseUrl: BASE });
    expectNoToken(client);
    expect(JSON.parse(JSON.stringify(client))).toEqual({ baseUrl: BASE });
  });

  test.each([
    ['errors/rules_get_401_unauthorized.json'],
    ['errors/rules_403_client_forbidden_not_enrolled_2020.json'],
    ['rules/add_400_invalid_request_missing_value.json'],
    ['errors/rest_429_rate_limit_plaintext_2020.txt'],
  ])('not from the API error for %s', async (file) => {
    server.use(http.get(RULES_URL, () => recordedResponse(file)));
    expectNoToken(await failure((c) => c.list()));
  });

  test('not from a server error, an unexpected body, a network error or an abort', async () => {
    server.use(http.get(RULES_URL, () => new HttpResponse('oops', { status: 503 })));
    expectNoToken(await failure((c) => c.list()));

    server.use(http.get(RULES_URL, () => HttpResponse.json({ unexpected: true })));
    expectNoToken(await failure((c) => c.list()));

    server.use(http.get(RULES_URL, () => HttpResponse.error()));
    expectNoToken(await failure((c) => c.list()));

    const controller = new AbortController();
    controller.abort();
    expectNoToken(await failure((c) => c.list({ signal: controller.signal })));
  });

  test('not from a custom fetch whose error quotes the Authorization header', async () => {
    const leakyFetch: typeof fetch = async (input) => {
      const auth = (input as Request).headers.get('authorization');
      throw new Error(`proxy refused request with ${auth}`);
    };
    const error = await failure((c) => c.list(), { fetch: leakyFetch });
    expect((error as Error).message).toContain('proxy refused request with Bearer [redacted]');
    expect((error as Error).cause).toBeUndefined();
    expectNoToken(error);
  });

  test('not from configuration errors', async () => {
    expectNoToken(await failure((c) => c.deleteAll()));
    expectNoToken(await failure((c) => c.delete({ ids: ['nope'] })));
    expectNoToken(await failure((c) => c.sync([{ value: 'has:media' }])));
    for (const bearerToken of [`${TOKEN} x`, `Bearer ${TOKEN}\u0007`, ` ${TOKEN}\né`]) {
      let error: unknown;
      try {
        new RulesClient({ bearerToken });
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ name: 'ConfigError' });
      expectNoToken(error);
    }
  });
});
