import { BirdstreamError, isBirdstreamError } from './birdstream-error.js';

/**
 * The connection failed below HTTP: DNS, refused, reset, TLS, an HTTP/2
 * stream reset, a timeout waiting for headers, or the body erroring mid-stream.
 * The original error is in `cause`. Retried with linear backoff.
 */
export class ConnectionError extends BirdstreamError {
  override name = 'ConnectionError';

  constructor(message: string, options?: { cause?: unknown }) {
    super('connection', message, options);
  }
}

/** True for an {@link ConnectionError} (or a subclass), from any copy of birdstream: checks the error's `code`, not `instanceof`. */
export function isConnectionError(value: unknown): value is ConnectionError {
  return isBirdstreamError(value) && value.code === 'connection';
}
