/**
 * The environment variables the bearer token is read from when no
 * `bearerToken` option is given, in order (the names the CLI reads too).
 */
export const BEARER_TOKEN_VARIABLES = ['X_BEARER_TOKEN', 'TWITTER_BEARER_TOKEN'] as const;

/** The environment variable the base URL is read from when no `baseUrl` option is given. */
export const BASE_URL_VARIABLE = 'BIRDSTREAM_BASE_URL';

/**
 * An environment variable, trimmed; `undefined` when it is unset or blank,
 * and outside Node (browsers, workers; Deno without `--allow-env`).
 */
export function readEnvironment(name: string): string | undefined {
  if (typeof process === 'undefined' || process === null) return undefined;
  let value: unknown;
  try {
    value = process.env?.[name];
  } catch {
    return undefined;
  }
  const trimmed = typeof value === 'string' ? value.trim() : '';
  return trimmed === '' ? undefined : trimmed;
}

/**
 * The bearer token from the environment: `X_BEARER_TOKEN`, else
 * `TWITTER_BEARER_TOKEN` (trimmed; blank counts as unset). `undefined` when
 * neither is set, or outside Node. `StreamClient` and `@birdstream/rules`
 * use it when no `bearerToken` option is given; a building block for
 * custom transports that should behave the same.
 *
 * @example
 * ```ts
 * const token = bearerTokenFromEnv();
 * if (token === undefined) throw new Error('Set X_BEARER_TOKEN first.');
 * ```
 */
export function bearerTokenFromEnv(): string | undefined {
  for (const name of BEARER_TOKEN_VARIABLES) {
    const value = readEnvironment(name);
    if (value !== undefined) return value;
  }
  return undefined;
}
