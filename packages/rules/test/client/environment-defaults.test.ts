import { isConfigError } from '@birdstream/core';
import { thrownBy, useMswServer } from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { RulesClient } from '../../src/index.js';
import { RULES_URL, TOKEN } from '../support/server.js';

const server = useMswServer();
afterEach(() => {
  vi.unstubAllEnvs();
});
const EMPTY = { meta: { sent: 'x', result_count: 0 } };

/** The Authorization header and URL of one `list()` request. */
async function requestOf(client: RulesClient, url = RULES_URL) {
  let seen: Request | undefined;
  server.use(
    http.get(url, ({ request }) => {
      seen = request;
      return HttpResponse.json(EMPTY);
    }),
  );
  await client.list();
  return { authorization: seen?.headers.get('authorization'), url: seen?.url };
}

describe('bearerToken falls back to the environment', () => {
  test('X_BEARER_TOKEN (trimmed) when the option is missing or undefined', async () => {
    vi.stubEnv('X_BEARER_TOKEN', `${TOKEN}\n`);
    vi.stubEnv('TWITTER_BEARER_TOKEN', 'the-other-one');
    expect((await requestOf(new RulesClient({}))).authorization).toBe(`Bearer ${TOKEN}`);
    const explicitUndefined = new RulesClient({ bearerToken: undefined });
    expect((await requestOf(explicitUndefined)).authorization).toBe(`Bearer ${TOKEN}`);
  });

  test('then TWITTER_BEARER_TOKEN; an explicit option wins over both', async () => {
    vi.stubEnv('TWITTER_BEARER_TOKEN', 'legacyToken123');
    expect((await requestOf(new RulesClient({}))).authorization).toBe('Bearer legacyToken123');
    const explicit = new RulesClient({ bearerToken: 'explicitToken' });
    expect((await requestOf(explicit)).authorization).toBe('Bearer explicitToken');
  });

  test('with neither, the ConfigError says to pass the option or set X_BEARER_TOKEN', () => {
    vi.stubEnv('X_BEARER_TOKEN', undefined);
    vi.stubEnv('TWITTER_BEARER_TOKEN', undefined);
    const error = thrownBy(() => new RulesClient({}));
    expect(isConfigError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /^No bearer token: pass the bearerToken option or set X_BEARER_TOKEN .*\.$/,
    );
  });

  test('the token from the environment is not in JSON.stringify(client)', () => {
    vi.stubEnv('X_BEARER_TOKEN', TOKEN);
    expect(JSON.stringify(new RulesClient({}))).toBe('{"baseUrl":"https://api.x.com"}');
  });
});

describe('baseUrl falls back to BIRDSTREAM_BASE_URL, then https://api.x.com', () => {
  test('BIRDSTREAM_BASE_URL is used when the option is missing; an explicit baseUrl wins', async () => {
    vi.stubEnv('BIRDSTREAM_BASE_URL', 'http://127.0.0.1:8787/x-api/');
    const client = new RulesClient({ bearerToken: TOKEN });
    expect(client.baseUrl).toBe('http://127.0.0.1:8787/x-api');
    const emulated = 'http://127.0.0.1:8787/x-api/2/tweets/search/stream/rules';
    expect((await requestOf(client, emulated)).url).toBe(emulated);
    expect(new RulesClient({ bearerToken: TOKEN, baseUrl: 'https://proxy.test' }).baseUrl).toBe(
      'https://proxy.test',
    );
  });

  test('a bad BIRDSTREAM_BASE_URL is a ConfigError naming the variable', () => {
    vi.stubEnv('BIRDSTREAM_BASE_URL', 'https://user:pw@emulator.test');
    const error = thrownBy(() => new RulesClient({ bearerToken: TOKEN }));
    expect(isConfigError(error)).toBe(true);
    expect((error as Error).message).toMatch(/^BIRDSTREAM_BASE_URL must not contain credentials/);
  });
});
