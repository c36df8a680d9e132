import { ConfigError } from '../errors/config-error.js';
import {
  BEARER_TOKEN_VARIABLES,
  bearerTokenFromEnv,
  type EnvironmentVariables,
} from './environment.js';

// What may remain once the prefix is gone: printable ASCII without spaces
// (header values may not hold control characters; a token never holds whitespace).
const TOKEN_PATTERN = /^[\x21-\x7e]+$/;
const BEARER_PREFIX = /^bearer\s+/i;

/** Where the missing token can be given, in the words of the caller (library or CLI). */
const LIBRARY_WHERE = `pass the bearerToken option or set ${BEARER_TOKEN_VARIABLES[0]} (or ${BEARER_TOKEN_VARIABLES[1]})`;

/**
 * The one sentence every birdstream package uses when no bearer token was
 * given: what is missing, where to put it, and where to get it. `where`
 * says how to give it in the caller's words (the CLI says "set
 * X_BEARER_TOKEN … in the environment").
 *
 * @example
 * ```ts
 * missingBearerTokenMessage();
 * // 'No bearer token: pass the bearerToken option or set X_BEARER_TOKEN (or TWITTER_BEARER_TOKEN) to the OAuth 2.0 app-only bearer token of your X app (developer portal → your App → Keys and tokens).'
 * ```
 */
export function missingBearerTokenMessage(where: string = LIBRARY_WHERE): string {
  return `No bearer token: ${where} to the OAuth 2.0 app-only bearer token of your X app (developer portal → your App → Keys and tokens).`;
}

/**
 * Checks a bearer token and returns it in the form sent after `Bearer ` in
 * the `Authorization` header. The one contract every birdstream package
 * follows (`StreamClient`, `RulesClient`, the CLI):
 *
 * - surrounding whitespace is removed (a trailing newline from a file or a
 *   secret store is common);
 * - one leading `Bearer ` (any case) is removed, so a value copied from a
 *   header works;
 * - what remains must be printable ASCII without spaces, else `ConfigError`;
 * - a missing, blank or non-string value is a `ConfigError` with
 *   {@link missingBearerTokenMessage}.
 *
 * The token never appears in the error messages.
 *
 * @param value The token as given (`undefined`: none).
 * @param where How to give a missing token, in the caller's words; see {@link missingBearerTokenMessage}.
 * @example
 * ```ts
 * normalizeBearerToken('  Bearer AAAA%2Fxyz\n'); // 'AAAA%2Fxyz'
 * ```
 */
export function normalizeBearerToken(value: unknown, where?: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError(missingBearerTokenMessage(where));
  }
  const token = value.trim().replace(BEARER_PREFIX, '');
  if (token === '') throw new ConfigError(missingBearerTokenMessage(where));
  if (!TOKEN_PATTERN.test(token)) {
    throw new ConfigError(
      'The bearer token contains spaces, control or non-ASCII characters; pass the token exactly as the developer portal shows it.',
    );
  }
  return token;
}

/**
 * The bearer token a client uses: `option` when given, else the environment
 * (`X_BEARER_TOKEN`, then `TWITTER_BEARER_TOKEN`; `env` when given, else
 * `process.env`), normalised by {@link normalizeBearerToken}.
 *
 * @example
 * ```ts
 * const token = resolveBearerToken(options.bearerToken);
 * ```
 */
export function resolveBearerToken(
  option: unknown,
  options: { env?: EnvironmentVariables; where?: string } = {},
): string {
  const value = option === undefined ? bearerTokenFromEnv(options.env) : option;
  return normalizeBearerToken(value, options.where);
}
