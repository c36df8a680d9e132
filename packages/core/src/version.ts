import packageJson from '../package.json' with { type: 'json' };
import { userAgentFor } from './http/user-agent.js';

/** This package's version, as published. */
export const VERSION: string = packageJson.version;

/**
 * The `User-Agent` `StreamClient` sends: `birdstream/<version>`, after the
 * caller's own product token when one is given. Never contains credentials.
 */
export function userAgent(prefix?: string): string {
  return userAgentFor('birdstream', VERSION, prefix);
}
