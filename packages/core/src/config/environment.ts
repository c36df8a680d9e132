/**
 * The environment variables the bearer token is read from when no
 * `bearerToken` option is given, in order. `StreamClient`,
 * `@birdstream/rules` and the `birdstream` CLI all read these names.
 */
export const BEARER_TOKEN_VARIABLES = ['X_BEARER_TOKEN', 'TWITTER_BEARER_TOKEN'] as const;

/** The environment variable the base URL is read from when no `baseUrl` option is given. */
export const BASE_URL_VARIABLE = 'BIRDSTREAM_BASE_URL';

/**
 * Environment variables as `process.env` holds them. Functions that read the
 * environment take one so that a CLI or a test can pass its own.
 */
export type EnvironmentVariables = Readonly<Record<string, string | undefined>>;

/**
 * An environment variable, trimmed; `undefined` when it is unset or blank.
 * Reads `env` when given, else `process.env` (and gives `undefined` outside
 * Node: browsers, workers, Deno without `--allow-env`).
 */
export function readEnvironment(name: string, env?: EnvironmentVariables): string | undefined {
  let value: unknown;
  if (env !== undefined) {
    value = env[name];
  } else {
    if (typeof process === 'undefined' || process === null) return undefined;
    try {
      value = process.env?.[name];
    } catch {
      return undefined;
    }
  }
  const trimmed = typeof value === 'string' ? value.trim() : '';
  return trimmed === '' ? undefined : trimmed;
}

/**
 * The bearer token from the environment: `X_BEARER_TOKEN`, else
 * `TWITTER_BEARER_TOKEN` (trimmed; blank counts as unset). `undefined` when
 * neither is set, or outside Node. Reads `env` when given (the CLI passes
 * its own), else `process.env`. `StreamClient` and `@birdstream/rules` use it
 * when no `bearerToken` option is given; a building block for custom
 * transports that should behave the same. The value is not yet normalised:
 * pass it to `normalizeBearerToken`.
 *
 * @example
 * ```ts
 * const token = bearerTokenFromEnv();
 * if (token === undefined) throw new Error('Set X_BEARER_TOKEN first.');
 * ```
 */
export function bearerTokenFromEnv(env?: EnvironmentVariables): string | undefined {
  for (const name of BEARER_TOKEN_VARIABLES) {
    const value = readEnvironment(name, env);
    if (value !== undefined) return value;
  }
  return undefined;
}
