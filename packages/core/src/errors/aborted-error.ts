import { BirdstreamError, isBirdstreamError } from './birdstream-error.js';

/**
 * The operation was cancelled by the caller (`signal`, `close()`). A `for await`
 * loop over a closed stream ends quietly instead of throwing this; it surfaces
 * from promise-returning calls such as `RulesClient` methods.
 */
export class AbortedError extends BirdstreamError {
  override name = 'AbortedError';

  constructor(message = 'The operation was aborted.', options?: { cause?: unknown }) {
    super('aborted', message, options);
  }
}

/** True for an {@link AbortedError} (or a subclass), from any copy of birdstream: checks the error's `code`, not `instanceof`. */
export function isAbortedError(value: unknown): value is AbortedError {
  return isBirdstreamError(value) && value.code === 'aborted';
}
