import { ConfigError } from '../errors/config-error.js';

const USER_AGENT_PATTERN = /^[\x20-\x7e]*$/;

/**
 * Checks a client's `userAgent` option (the caller's product token, such as
 * `my-app/1.2`): printable ASCII, or `undefined` for none.
 */
export function checkUserAgent(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !USER_AGENT_PATTERN.test(value)) {
    throw new ConfigError('userAgent must be printable ASCII text such as "my-app/1.2".');
  }
  return value;
}
