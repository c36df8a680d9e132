import {
  BEARER_TOKEN_VARIABLES,
  bearerTokenFromEnv,
  missingBearerTokenMessage,
  normalizeBearerToken,
  resolveBaseUrl,
  resolveBearerToken,
} from '@birdstream/core';
import { describe, expect, test } from 'vitest';
import { configError } from '../helpers/config-error.js';

describe('normalizeBearerToken: the one contract', () => {
  test('trims, and removes one "Bearer " prefix in any case', () => {
    expect(normalizeBearerToken('  AAAA%2Fxyz\n')).toBe('AAAA%2Fxyz');
    expect(normalizeBearerToken('Bearer AAAA%2Fxyz')).toBe('AAAA%2Fxyz');
    expect(normalizeBearerToken(' bearer\tAAAA ')).toBe('AAAA');
  });

  test('refuses spaces, control and non-ASCII characters inside, without quoting the token', () => {
    for (const bad of ['AAA BBB', 'AAA\nX-Injected: 1', 'AAAé', 'Bearer AAA B']) {
      const message = configError(() => normalizeBearerToken(bad));
      expect(message).not.toContain('AAA');
      expect(message).toMatch(/\.$/);
    }
  });

  test('a missing token gets the one sentence, naming the option and both variables', () => {
    for (const missing of [undefined, '', '   ', 42]) {
      expect(configError(() => normalizeBearerToken(missing))).toBe(missingBearerTokenMessage());
    }
    const message = missingBearerTokenMessage();
    expect(message).toMatch(
      /^No bearer token: pass the bearerToken option or set X_BEARER_TOKEN \(or TWITTER_BEARER_TOKEN\)/,
    );
    expect(message).toMatch(/\.$/);
    expect(missingBearerTokenMessage('set X_BEARER_TOKEN in the environment')).toMatch(
      /^No bearer token: set X_BEARER_TOKEN in the environment to the OAuth 2.0/,
    );
  });
});

describe('reading the environment', () => {
  test('bearerTokenFromEnv reads the variables in order from a given environment', () => {
    expect(BEARER_TOKEN_VARIABLES).toEqual(['X_BEARER_TOKEN', 'TWITTER_BEARER_TOKEN']);
    expect(bearerTokenFromEnv({ TWITTER_BEARER_TOKEN: ' b ', X_BEARER_TOKEN: ' ' })).toBe('b');
    expect(bearerTokenFromEnv({ TWITTER_BEARER_TOKEN: 'b', X_BEARER_TOKEN: 'a' })).toBe('a');
    expect(bearerTokenFromEnv({})).toBeUndefined();
  });

  test('resolveBearerToken prefers the option, else the given environment, and normalises', () => {
    expect(resolveBearerToken('Bearer opt', { env: { X_BEARER_TOKEN: 'env' } })).toBe('opt');
    expect(resolveBearerToken(undefined, { env: { X_BEARER_TOKEN: 'Bearer env' } })).toBe('env');
    expect(configError(() => resolveBearerToken(undefined, { env: {}, where: 'do X' }))).toMatch(
      /^No bearer token: do X to/,
    );
  });

  test('resolveBaseUrl reads a given environment and names the option it was given as', () => {
    expect(
      resolveBaseUrl(undefined, { env: { BIRDSTREAM_BASE_URL: 'http://127.0.0.1:9/x/' } }),
    ).toBe('http://127.0.0.1:9/x');
    expect(resolveBaseUrl(undefined, { env: {} })).toBe('https://api.x.com');
    expect(configError(() => resolveBaseUrl('ftp://h', { optionName: '--base-url' }))).toMatch(
      /^--base-url must use http or https/,
    );
    expect(
      configError(() => resolveBaseUrl(undefined, { env: { BIRDSTREAM_BASE_URL: 'nope' } })),
    ).toMatch(/^BIRDSTREAM_BASE_URL must be an absolute/);
  });
});
