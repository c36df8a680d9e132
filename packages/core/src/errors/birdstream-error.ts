const BRAND = Symbol.for('birdstream.error');

/** Which kind of birdstream error this is; stable across package copies and realms. */
export type BirdstreamErrorCode =
  | 'api'
  | 'connection'
  | 'stalled'
  | 'payload'
  | 'aborted'
  | 'config'
  | 'budget'
  | 'webhook';

/**
 * Base class of every error birdstream throws or reports.
 *
 * Use the `isXError()` guards rather than `instanceof`: they also work when two
 * copies of the package are loaded, or across realms.
 */
export class BirdstreamError extends Error {
  override name = 'BirdstreamError';
  readonly code: BirdstreamErrorCode;

  constructor(code: BirdstreamErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    Object.defineProperty(this, BRAND, { value: true, enumerable: false });
  }

  /** A plain object for logs; never includes credentials. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message };
  }
}

/** True for any error created by birdstream (any copy of the package). */
export function isBirdstreamError(value: unknown): value is BirdstreamError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true
  );
}
