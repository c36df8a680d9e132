import packageJson from '../../package.json' with { type: 'json' };

/** This package's version, as published. */
export const VERSION: string = packageJson.version;

/**
 * The `User-Agent` sent with every request: `birdstream-rules/<version>`,
 * after the caller's own product token when one is given (X asks for a
 * client-versioned User-Agent, spec §1.4).
 */
export function userAgent(prefix?: string): string {
  const own = `birdstream-rules/${VERSION}`;
  const trimmed = prefix?.trim();
  return trimmed ? `${trimmed} ${own}` : own;
}
