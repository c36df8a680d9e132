import { SecretScrubber } from '@birdstream/core';

/**
 * Returns a function that replaces every form of `secret` (core's
 * `SecretScrubber`: as given, percent-decoded and -encoded, base64) with
 * `***`. Every line of human output goes through it, so a token echoed back
 * by a proxy, a library or an argument can never reach the terminal.
 */
export function createRedactor(secret: string | undefined): (text: string) => string {
  const scrubber = new SecretScrubber({ replacement: '***' }).add(secret);
  return (text) => scrubber.scrub(text);
}
