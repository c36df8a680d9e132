import { isConfigError, proxyOriginFor } from '@birdstream/core';
import type { Env } from './env.js';
import { UsageError } from './usage-error.js';

/** The proxy chosen for the stream: the URL handed to core (with credentials) and what may be shown. */
export interface CliProxy {
  /** The proxy URL as given, credentials included: only for core's `proxy` option, never printed. */
  url: string;
  /** `http://host:port` without credentials, safe to print. */
  origin: string;
}

/** The proxy variables of the environment, upper-case first (as curl reads them). */
function envProxy(env: Env, name: 'HTTPS_PROXY' | 'HTTP_PROXY' | 'NO_PROXY'): string | undefined {
  return env[name] ?? env[name.toLowerCase()];
}

/**
 * The proxy for a connection to `baseUrl`: `--proxy` when given, else
 * `HTTPS_PROXY` (https targets) or `HTTP_PROXY` (http targets), lower-case
 * names too; none when the host is listed in `NO_PROXY`. Which proxy applies
 * and the `NO_PROXY` matching are core's (`proxyOriginFor`); a malformed value
 * is a usage error naming the flag or the variable, never quoting it (it may
 * hold a password).
 */
export function resolveProxy(
  flag: string | undefined,
  env: Env,
  baseUrl: string,
  command = 'stream',
): CliProxy | undefined {
  const https = flag ?? envProxy(env, 'HTTPS_PROXY');
  const http = flag ?? envProxy(env, 'HTTP_PROXY');
  const chosen = { HTTPS_PROXY: https, HTTP_PROXY: http, NO_PROXY: envProxy(env, 'NO_PROXY') };
  let origin: string | undefined;
  try {
    origin = proxyOriginFor(baseUrl, 'env', chosen);
  } catch (error) {
    if (!isConfigError(error)) throw error;
    const message =
      flag === undefined ? error.message : error.message.replace(/^HTTPS?_PROXY\b/, '--proxy');
    throw new UsageError(message, command);
  }
  if (origin === undefined) return undefined;
  const url = new URL(baseUrl).protocol === 'https:' ? https : http;
  return url === undefined ? undefined : { url, origin };
}

/**
 * The `proxy` option of a REST client (rules, connections, usage) for a
 * command: the URL `resolveProxy` picks, or `false` for a direct connection.
 */
export function restProxy(
  flag: string | undefined,
  env: Env,
  baseUrl: string,
  command: string,
): string | false {
  return resolveProxy(flag, env, baseUrl, command)?.url ?? false;
}

/**
 * The secret parts of every proxy URL the CLI may use (the environment's and
 * `--proxy` in argv): the password and `user:password`, for the redactor. A
 * value that is not a URL contributes nothing.
 */
export function proxySecrets(env: Env, argv: readonly string[]): string[] {
  const values: (string | undefined)[] = [
    env.HTTPS_PROXY,
    env.https_proxy,
    env.HTTP_PROXY,
    env.http_proxy,
  ];
  argv.forEach((arg, i) => {
    if (arg === '--proxy') values.push(argv[i + 1]);
    else if (arg.startsWith('--proxy=')) values.push(arg.slice('--proxy='.length));
  });
  const secrets: string[] = [];
  for (const value of values) {
    const match = value === undefined ? null : /^(?:[a-z][a-z0-9+.-]*:\/\/)?([^@/]*)@/i.exec(value);
    const userinfo = match?.[1];
    if (!userinfo) continue;
    secrets.push(userinfo);
    const colon = userinfo.indexOf(':');
    if (colon >= 0) secrets.push(userinfo.slice(colon + 1));
  }
  return secrets;
}
