import { missingBearerTokenMessage, normalizeBearerToken } from '@birdstream/core';
import { describe, expect, test } from 'vitest';
import { findToken, requireToken, resolveBaseUrl } from '../../src/cli/env.js';
import { ExitCode } from '../../src/cli/exit-codes.js';
import { CliError, UsageError } from '../../src/cli/usage-error.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe("the CLI reads the token and base URL with core's functions", () => {
  test("the token: core's variables in order, normalised like the libraries do", () => {
    expect(requireToken({ TWITTER_BEARER_TOKEN: 'b', X_BEARER_TOKEN: ' Bearer a\n' })).toBe('a');
    expect(requireToken({ TWITTER_BEARER_TOKEN: 'b' })).toBe(normalizeBearerToken('b'));
    expect(findToken({})).toBeUndefined();
    // a malformed token is still found, so that it can be redacted
    expect(findToken({ X_BEARER_TOKEN: 'a b' })).toBe('a b');
  });

  test("a missing token is core's sentence in CLI words", () => {
    const error = thrown(() => requireToken({ X_BEARER_TOKEN: '  ' }));
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(ExitCode.error);
    expect((error as Error).message).toBe(
      missingBearerTokenMessage('set X_BEARER_TOKEN (or TWITTER_BEARER_TOKEN) in the environment'),
    );
    expect((error as Error).message).toMatch(/\.$/);
  });

  test("the base URL: --base-url, else BIRDSTREAM_BASE_URL, with core's checks", () => {
    expect(resolveBaseUrl(undefined, {})).toBe('https://api.x.com');
    expect(resolveBaseUrl('http://127.0.0.1:8080/x/', {})).toBe('http://127.0.0.1:8080/x');
    expect(resolveBaseUrl(undefined, { BIRDSTREAM_BASE_URL: 'http://h:1' })).toBe('http://h:1');
    // core refuses a query string; the CLI's old copy let it through
    const query = thrown(() => resolveBaseUrl('http://h/?a=1', {}));
    expect(query).toBeInstanceOf(UsageError);
    expect((query as Error).message).toMatch(/^--base-url must not contain a query string/);
    const env = thrown(() => resolveBaseUrl(undefined, { BIRDSTREAM_BASE_URL: 'nope' }));
    expect((env as Error).message).toMatch(/^BIRDSTREAM_BASE_URL must be an absolute/);
  });
});
