import packageJson from '../../package.json' with { type: 'json' };

/** This package's version, as published. */
export const VERSION: string = packageJson.version;

/**
 * The `User-Agent` birdstream sends: `birdstream/<version>`, after the
 * caller's own product token when one is given (X asks for a client-versioned
 * User-Agent). Never contains credentials.
 */
export function userAgent(prefix?: string): string {
  const own = `birdstream/${VERSION}`;
  const trimmed = prefix?.trim();
  return trimmed ? `${trimmed} ${own}` : own;
}
