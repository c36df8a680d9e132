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
  /**
   * Bytes kept arriving but none completed a message or keep-alive: the
   * server's framing was not understood (or one message is larger than what
   * arrives in `timeoutMs`). Reported, never silent.
   */
  readonly bytesWithoutMessage: boolean;

  constructor(timeoutMs: number, options: { bytesWithoutMessage?: boolean } = {}) {
    super(
      'stalled',
      options.bytesWithoutMessage
        ? `Bytes arrived for ${timeoutMs} ms without one complete message or keep-alive; the server's framing is not X's (\\r\\n), a bare \\n or SSE data: lines, or a message is larger than what arrives in that time. Check the base URL points at an X stream.`
        : `No data or keep-alive received for ${timeoutMs} ms; X sends a keep-alive at least every 20 s, so the connection is considered stalled.`,
    );
    this.timeoutMs = timeoutMs;
    this.bytesWithoutMessage = options.bytesWithoutMessage === true;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      timeoutMs: this.timeoutMs,
      bytesWithoutMessage: this.bytesWithoutMessage,
    };
  }
}

/** True for an {@link StallError} (or a subclass), from any copy of birdstream: checks the error's `code`, not `instanceof`. */
export function isStallError(value: unknown): value is StallError {
  return isBirdstreamError(value) && value.code === 'stalled';
}
