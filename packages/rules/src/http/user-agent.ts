import { userAgentFor } from '@birdstream/core';
import packageJson from '../../package.json' with { type: 'json' };

/**
 * The `User-Agent` sent with every request: `birdstream-rules/<version>`,
 * after the caller's own product token when one is given (spec §1.4).
 */
export function userAgent(prefix?: string): string {
  return userAgentFor('birdstream-rules', packageJson.version, prefix);
}
