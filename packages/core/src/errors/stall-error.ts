import { BirdstreamError, isBirdstreamError } from './birdstream-error.js';

/**
 * No byte (neither a post nor a keep-alive) arrived for `timeoutMs`. X sends a
 * keep-alive at least every 20 s, so the connection is dead even if the socket
 * is still open. The stream reconnects; this error is reported, not thrown,
 * unless retries are exhausted.
 */
export class StallError extends BirdstreamError {
  override name = 'StallError';
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(
      'stalled',
      `No data or keep-alive received for ${timeoutMs} ms; X sends a keep-alive at least every 20 s, so the connection is considered stalled.`,
    );
    this.timeoutMs = timeoutMs;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), timeoutMs: this.timeoutMs };
  }
}

export function isStallError(value: unknown): value is StallError {
  return isBirdstreamError(value) && value.code === 'stalled';
}
