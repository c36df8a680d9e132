import {
  BEARER_TOKEN_VARIABLES,
  bearerTokenFromEnv,
  type EnvironmentVariables,
  isConfigError,
  resolveBearerToken,
  resolveBaseUrl as resolveCoreBaseUrl,
} from '@birdstream/core';
import { ExitCode } from './exit-codes.js';
import { CliError, UsageError } from './usage-error.js';

/** Environment variables as `process.env` holds them. */
export type Env = EnvironmentVariables;

/** Where the CLI reads the token from, in its own words (never from argv). */
const TOKEN_WHERE = `set ${BEARER_TOKEN_VARIABLES[0]} (or ${BEARER_TOKEN_VARIABLES[1]}) in the environment`;

/**
 * The bearer token from the environment (core's variable list and
 * normalisation: trimmed, a `Bearer ` prefix removed; a malformed value as
 * it was set, so it can still be redacted), or `undefined` when none is
 * set. Never from argv.
 */
export function findToken(env: Env): string | undefined {
  const raw = bearerTokenFromEnv(env);
  if (raw === undefined) return undefined;
  try {
    return resolveBearerToken(raw);
  } catch {
    return raw;
  }
}

/**
 * The bearer token, normalised by core's one contract, or a one-line error
 * (core's sentence, in CLI words) saying where to put it.
 */
export function requireToken(env: Env): string {
  try {
    return resolveBearerToken(undefined, { env, where: TOKEN_WHERE });
  } catch (error) {
    if (isConfigError(error)) throw new CliError(error.message, ExitCode.error);
    throw error;
  }
}

/**
 * The API base URL: `--base-url`, else `BIRDSTREAM_BASE_URL` of the given
 * environment, else https://api.x.com — core's `resolveBaseUrl` with its
 * checks (absolute http(s), no credentials, query or fragment). Always a
 * string, so the libraries never fall back to the real process environment
 * behind `env`. A bad value is a usage error naming `--base-url` or the
 * variable.
 */
export function resolveBaseUrl(flag: string | undefined, env: Env): string {
  try {
    return resolveCoreBaseUrl(flag, { env, optionName: '--base-url' });
  } catch (error) {
    if (isConfigError(error)) throw new UsageError(error.message);
    throw error;
  }
}
