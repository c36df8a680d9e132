import { describe, expect, it } from 'vitest';
import { proxySecrets, resolveProxy } from '../../src/cli/proxy.js';
import { isUsageError } from '../../src/cli/usage-error.js';

const X = 'https://api.x.com';
const EMULATOR = 'http://127.0.0.1:8080';

describe('resolveProxy', () => {
  it('takes HTTPS_PROXY for https and HTTP_PROXY for http, upper-case before lower-case', () => {
    const env = {
      HTTPS_PROXY: 'http://secure.proxy:3128',
      https_proxy: 'http://ignored:1',
      http_proxy: 'http://u:secret-pass@plain.proxy:8080',
    };
    expect(resolveProxy(undefined, env, X)).toEqual({
      url: 'http://secure.proxy:3128',
      origin: 'http://secure.proxy:3128',
    });
    expect(resolveProxy(undefined, env, EMULATOR)).toEqual({
      url: 'http://u:secret-pass@plain.proxy:8080',
      origin: 'http://plain.proxy:8080',
    });
    expect(resolveProxy(undefined, {}, X)).toBeUndefined();
  });

  it('lets --proxy win over the environment, and NO_PROXY bypass either', () => {
    const env = { HTTPS_PROXY: 'http://env.proxy:1', NO_PROXY: '.example.com' };
    expect(resolveProxy('http://flag.proxy:2', env, X)?.origin).toBe('http://flag.proxy:2');
    expect(resolveProxy('http://flag.proxy:2', env, 'https://api.example.com')).toBeUndefined();
    expect(resolveProxy(undefined, { ...env, NO_PROXY: 'api.x.com' }, X)).toBeUndefined();
  });

  it('refuses a malformed proxy with a usage error naming its source, never quoting it', () => {
    for (const [flag, env, name] of [
      ['socks5://u:hidden-pass@h:1', {}, '--proxy'],
      [undefined, { HTTPS_PROXY: 'socks5://u:hidden-pass@h:1' }, 'HTTPS_PROXY'],
    ] as const) {
      let error: unknown;
      try {
        resolveProxy(flag, env, X);
      } catch (caught) {
        error = caught;
      }
      expect(isUsageError(error)).toBe(true);
      expect((error as Error).message.startsWith(name)).toBe(true);
      expect((error as Error).message).not.toContain('hidden-pass');
    }
  });
});

describe('proxySecrets', () => {
  it('finds the userinfo and password of every proxy URL in the environment and argv', () => {
    expect(
      proxySecrets({ HTTPS_PROXY: 'http://alice:env-pass@p:1', http_proxy: 'http://p:2' }, [
        'stream',
        '--proxy',
        'http://bob:flag-pass@p:3',
        '--proxy=carol:eq-pass@p:4',
      ]),
    ).toEqual([
      'alice:env-pass',
      'env-pass',
      'bob:flag-pass',
      'flag-pass',
      'carol:eq-pass',
      'eq-pass',
    ]);
  });
});
