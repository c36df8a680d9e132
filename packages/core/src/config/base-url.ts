import { ConfigError } from '../errors/config-error.js';
import { BASE_URL_VARIABLE, type EnvironmentVariables, readEnvironment } from './environment.js';

/** The X API host birdstream connects to unless told otherwise. */
export const DEFAULT_BASE_URL = 'https://api.x.com';

/**
 * The base URL a client sends its requests to, checked and without a
 * trailing slash: `baseUrl` when given, else the `BIRDSTREAM_BASE_URL`
 * environment variable (Node only), else {@link DEFAULT_BASE_URL}. A path
 * prefix (for a proxy or an emulator) is kept. A building block for
 * birdstream packages and custom transports: `StreamClient` and
 * `@birdstream/rules` resolve their `baseUrl` option with it, so every
 * client accepts, refuses and defaults the same way.
 *
 * Throws `ConfigError` (naming the option or `BIRDSTREAM_BASE_URL`) for a
 * URL that is not absolute http(s), or that has credentials, a query string
 * or a fragment.
 *
 * @param baseUrl The option's value; `undefined` reads the environment.
 * @param options `env`: the environment to read instead of `process.env`
 * (the CLI passes its own); `optionName`: the option's name in messages.
 *
 * @example
 * ```ts
 * resolveBaseUrl('http://127.0.0.1:8080/x-api/'); // 'http://127.0.0.1:8080/x-api'
 * resolveBaseUrl(); // BIRDSTREAM_BASE_URL if set, else 'https://api.x.com'
 * ```
 */
export function resolveBaseUrl(
  baseUrl?: string,
  options: {
    /** @default process.env */
    env?: EnvironmentVariables;
    /** @default 'baseUrl' */
    optionName?: string;
  } = {},
): string {
  if (baseUrl !== undefined) return normalizeBaseUrl(baseUrl, options.optionName ?? 'baseUrl');
  const fromEnvironment = readEnvironment(BASE_URL_VARIABLE, options.env);
  return fromEnvironment === undefined
    ? DEFAULT_BASE_URL
    : normalizeBaseUrl(fromEnvironment, BASE_URL_VARIABLE);
}

function normalizeBaseUrl(value: string, source: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(
      `${source} must be an absolute http(s) URL such as ${DEFAULT_BASE_URL}, got "${value}".`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`${source} must use http or https, got "${url.protocol}".`);
  }
  if (url.username || url.password) {
    throw new ConfigError(
      `${source} must not contain credentials; give the bearer token separately.`,
    );
  }
  if (url.search || url.hash) {
    throw new ConfigError(`${source} must not contain a query string or fragment.`);
  }
  return url.href.replace(/\/+$/, '');
}
