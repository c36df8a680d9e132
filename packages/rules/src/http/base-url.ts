import { ConfigError } from '@birdstream/core';

/** The X API host used unless `baseUrl` says otherwise. */
export const DEFAULT_BASE_URL = 'https://api.x.com';

/** Checks `baseUrl` and returns it without a trailing slash. A path prefix (for a proxy) is kept. */
export function normalizeBaseUrl(baseUrl: string | undefined): string {
  const value = baseUrl ?? DEFAULT_BASE_URL;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(
      `baseUrl must be an absolute http(s) URL such as ${DEFAULT_BASE_URL}, got "${value}".`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`baseUrl must use http or https, got "${url.protocol}".`);
  }
  if (url.username || url.password) {
    throw new ConfigError(
      'baseUrl must not contain credentials; pass the bearerToken option instead.',
    );
  }
  if (url.search || url.hash) {
    throw new ConfigError('baseUrl must not contain a query string or a fragment.');
  }
  return url.href.replace(/\/+$/, '');
}
