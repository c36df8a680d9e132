import { ConfigError } from '../errors/config-error.js';

/**
 * The `User-Agent` a birdstream component sends: `<component>/<version>`,
 * after the caller's own product token when one is given (X asks clients
 * for a versioned User-Agent). A building block for birdstream packages and
 * custom transports, so they all identify themselves the same way.
 *
 * @param component The component's product name, such as `birdstream-rules`.
 * @param version The component's version, such as `1.4.0`.
 * @param product The caller's product token, such as `my-app/1.2`; blank or
 * omitted sends the component's token alone.
 * @example
 * ```ts
 * userAgentFor('my-transport', '1.0.0', 'my-app/1.2'); // 'my-app/1.2 my-transport/1.0.0'
 * userAgentFor('my-transport', '1.0.0'); // 'my-transport/1.0.0'
 * ```
 */
export function userAgentFor(component: string, version: string, product?: string): string {
  const own = `${component}/${version}`;
  const trimmed = product?.trim();
  return trimmed ? `${trimmed} ${own}` : own;
}

const USER_AGENT_PATTERN = /^[\x20-\x7e]*$/;

/** Checks the `userAgent` option of a client: printable ASCII (a header value), or `undefined`. */
export function checkUserAgent(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !USER_AGENT_PATTERN.test(value)) {
    throw new ConfigError('userAgent must be printable ASCII text such as "my-app/1.2".');
  }
  return value;
}
