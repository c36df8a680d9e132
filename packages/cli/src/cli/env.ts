import { DEFAULT_BASE_URL } from '@birdstream/core';
import { ExitCode } from './exit-codes.js';
import { CliError, UsageError } from './usage-error.js';

/** Environment variables as `process.env` holds them. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The environment variables the bearer token is read from, in order. */
export const TOKEN_VARIABLES = ['X_BEARER_TOKEN', 'TWITTER_BEARER_TOKEN'] as const;

/** The bearer token from the environment, or `undefined`. Never from argv. */
export function findToken(env: Env): string | undefined {
  for (const name of TOKEN_VARIABLES) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return undefined;
}

/** The bearer token, or a one-line error saying where to put it. */
export function requireToken(env: Env): string {
  const token = findToken(env);
  if (token === undefined) {
    throw new CliError(
      'No bearer token: set X_BEARER_TOKEN (or TWITTER_BEARER_TOKEN) to the app-only bearer token from the X developer portal.',
      ExitCode.error,
    );
  }
  return token;
}

/**
 * The API base URL: `--base-url`, else `BIRDSTREAM_BASE_URL` of the given
 * environment, else https://api.x.com. Must be http(s). Always a string, so the
 * libraries never fall back to the real process environment behind `env`.
 */
export function resolveBaseUrl(flag: string | undefined, env: Env): string {
  const fromEnv = env.BIRDSTREAM_BASE_URL?.trim();
  const raw = flag ?? (fromEnv ? fromEnv : undefined);
  if (raw === undefined) return DEFAULT_BASE_URL;
  const source = flag !== undefined ? '--base-url' : 'BIRDSTREAM_BASE_URL';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(
      `${source} must be an absolute http(s) URL such as http://127.0.0.1:8080.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${source} must use http or https, not ${url.protocol.replace(':', '')}.`);
  }
  if (url.username || url.password) {
    throw new UsageError(`${source} must not contain credentials; set X_BEARER_TOKEN instead.`);
  }
  return url.toString().replace(/\/+$/, '');
}
