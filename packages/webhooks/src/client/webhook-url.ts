import { ConfigError } from '@birdstream/core';

/** The longest callback URL X registers. */
export const MAX_WEBHOOK_URL_LENGTH = 200;

/**
 * Checks a callback URL the way X does before it runs the registration CRC,
 * so a bad one fails here with a sentence that says what to change: absolute
 * `https`, no port, no credentials or fragment, at most 200 characters. Set
 * `allowInsecure` for a local emulator (`http://127.0.0.1:…`).
 *
 * @example
 * ```ts
 * checkWebhookUrl('https://example.com/webhooks/x'); // ok
 * checkWebhookUrl('https://example.com:8443/x'); // ConfigError: no port
 * ```
 */
export function checkWebhookUrl(url: string, options: { allowInsecure?: boolean } = {}): string {
  if (typeof url !== 'string' || url.trim() === '') {
    throw new ConfigError('The webhook URL is empty: give the public https URL X should POST to.');
  }
  if (url.length > MAX_WEBHOOK_URL_LENGTH) {
    throw new ConfigError(
      `The webhook URL is ${url.length} characters; X accepts at most ${MAX_WEBHOOK_URL_LENGTH}.`,
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(
      'The webhook URL is not an absolute URL such as https://example.com/webhooks/x.',
    );
  }
  if (options.allowInsecure === true) {
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw new ConfigError('The webhook URL must use http or https.');
    }
    return url;
  }
  if (parsed.protocol !== 'https:') {
    throw new ConfigError(
      'X delivers only to https URLs: the webhook URL must start with https://.',
    );
  }
  if (parsed.port !== '') {
    throw new ConfigError(
      'X refuses webhook URLs with a port (such as :8443): serve it on the default https port 443.',
    );
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new ConfigError('The webhook URL must not contain credentials.');
  }
  if (parsed.hash !== '') throw new ConfigError('The webhook URL must not contain a fragment.');
  return url;
}
