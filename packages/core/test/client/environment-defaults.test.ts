import { inspect } from 'node:util';
import { bearerTokenFromEnv, isConfigError, resolveBaseUrl, StreamClient } from '@birdstream/core';
import { bodyFromChunks, thrownBy } from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { FILTER, useStreamServer } from '../helpers/stream-server.js';

const server = useStreamServer();
afterEach(() => {
  vi.unstubAllEnvs();
});

const ENV_TOKEN = 'AAAAAAAAAAAAAAAAAAAAAfromEnvSecret%2Btoken';

/** The Authorization header and URL of one connection made by `client`. */
async function requestOf(client: StreamClient, url = FILTER) {
  let seen: Request | undefined;
  server.use(
    http.get(url, ({ request }) => {
      seen = request;
      return new HttpResponse(bodyFromChunks([]));
    }),
  );
  await (await client.connect('filter', {})).close();
  return { authorization: seen?.headers.get('authorization'), url: seen?.url };
}

describe('bearerToken falls back to the environment', () => {
  test('X_BEARER_TOKEN is used when the option is missing or undefined', async () => {
    vi.stubEnv('X_BEARER_TOKEN', ` ${ENV_TOKEN}\n`);
    vi.stubEnv('TWITTER_BEARER_TOKEN', 'the-other-one');
    expect(bearerTokenFromEnv()).toBe(ENV_TOKEN);
    const fromEnv = await requestOf(new StreamClient({}));
    expect(fromEnv.authorization).toBe(`Bearer ${ENV_TOKEN}`);
    const explicitUndefined = await requestOf(new StreamClient({ bearerToken: undefined }));
    expect(explicitUndefined.authorization).toBe(`Bearer ${ENV_TOKEN}`);
  });

  test('then TWITTER_BEARER_TOKEN; a blank X_BEARER_TOKEN counts as unset', async () => {
    vi.stubEnv('X_BEARER_TOKEN', '   ');
    vi.stubEnv('TWITTER_BEARER_TOKEN', 'legacyToken123');
    expect(bearerTokenFromEnv()).toBe('legacyToken123');
    expect((await requestOf(new StreamClient({}))).authorization).toBe('Bearer legacyToken123');
  });

  test('an explicit option wins over the environment', async () => {
    vi.stubEnv('X_BEARER_TOKEN', ENV_TOKEN);
    const request = await requestOf(new StreamClient({ bearerToken: 'explicitToken' }));
    expect(request.authorization).toBe('Bearer explicitToken');
  });

  test('with neither, the ConfigError names the option and X_BEARER_TOKEN', () => {
    vi.stubEnv('X_BEARER_TOKEN', undefined);
    vi.stubEnv('TWITTER_BEARER_TOKEN', undefined);
    expect(bearerTokenFromEnv()).toBeUndefined();
    const error = thrownBy(() => new StreamClient({}));
    expect(isConfigError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /^No bearer token: pass the bearerToken option or set X_BEARER_TOKEN/,
    );
    expect((error as Error).message).toContain('X_BEARER_TOKEN');
  });

  test('a token from the environment never shows in the client either', () => {
    vi.stubEnv('X_BEARER_TOKEN', ENV_TOKEN);
    const client = new StreamClient({});
    expect(JSON.stringify(client)).toBe('{"baseUrl":"https://api.x.com"}');
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain('fromEnvSecret');
    expect(client.streamUrl('filter', {})).not.toContain('fromEnvSecret');
  });
});

describe('baseUrl falls back to BIRDSTREAM_BASE_URL, then https://api.x.com', () => {
  test('BIRDSTREAM_BASE_URL is used, checked and normalised, when the option is missing', async () => {
    vi.stubEnv('BIRDSTREAM_BASE_URL', ' http://127.0.0.1:8787/x-api/ ');
    expect(resolveBaseUrl()).toBe('http://127.0.0.1:8787/x-api');
    const client = new StreamClient({ bearerToken: 't' });
    expect(client.baseUrl).toBe('http://127.0.0.1:8787/x-api');
    const request = await requestOf(client, 'http://127.0.0.1:8787/x-api/2/tweets/search/stream');
    expect(request.url).toBe('http://127.0.0.1:8787/x-api/2/tweets/search/stream');
  });

  test('an explicit baseUrl wins; without either, the default', () => {
    vi.stubEnv('BIRDSTREAM_BASE_URL', 'http://127.0.0.1:8787');
    expect(new StreamClient({ bearerToken: 't', baseUrl: 'https://proxy.test/' }).baseUrl).toBe(
      'https://proxy.test',
    );
    vi.stubEnv('BIRDSTREAM_BASE_URL', '');
    expect(new StreamClient({ bearerToken: 't' }).baseUrl).toBe('https://api.x.com');
    expect(resolveBaseUrl(undefined)).toBe('https://api.x.com');
  });

  test('a bad BIRDSTREAM_BASE_URL is a ConfigError that names the variable', () => {
    vi.stubEnv('BIRDSTREAM_BASE_URL', 'ftp://emulator.test');
    const error = thrownBy(() => new StreamClient({ bearerToken: 't' }));
    expect(isConfigError(error)).toBe(true);
    expect((error as Error).message).toBe(
      'BIRDSTREAM_BASE_URL must use http or https, got "ftp:".',
    );
    expect(() => resolveBaseUrl('https://api.x.com/?a=1')).toThrow(
      'baseUrl must not contain a query string or fragment.',
    );
  });
});

describe('outside Node', () => {
  test('without a global process, nothing is read from the environment', () => {
    vi.stubEnv('X_BEARER_TOKEN', ENV_TOKEN);
    vi.stubEnv('BIRDSTREAM_BASE_URL', 'http://127.0.0.1:8787');
    vi.stubGlobal('process', undefined);
    try {
      expect(bearerTokenFromEnv()).toBeUndefined();
      expect(resolveBaseUrl()).toBe('https://api.x.com');
    } finally {
      vi.unstubAllGlobals();
    }
    expect(bearerTokenFromEnv()).toBe(ENV_TOKEN);
  });
});
