import { SecretScrubber } from '@birdstream/core';

/**
 * Returns a function that replaces every form of each secret (core's
 * `SecretScrubber`: as given, percent-decoded and -encoded, base64) with
 * `***`: the bearer token and the credentials of any proxy URL. Every line
 * of human output goes through it, so a token echoed back by a proxy, a
 * library or an argument can never reach the terminal.
 */
export function createRedactor(
  secrets: string | undefined | readonly (string | undefined)[],
): (text: string) => string {
  const scrubber = new SecretScrubber({ replacement: '***' });
  for (const secret of typeof secrets === 'object' ? secrets : [secrets]) scrubber.add(secret);
  return (text) => scrubber.scrub(text);
}
