/**
 * Where a stream session's bytes go: an HTTP response on the real server, or
 * a `ReadableStream` body for msw. Every `write` is one chunk on the wire.
 */
export interface StreamSink {
  /** Writes one chunk. */
  write(chunk: Uint8Array): void;
  /** Bytes written but not yet taken by the client (to detect slow readers). */
  bufferedBytes(): number;
  /** Ends the body cleanly. */
  end(): void;
  /** Ends the connection abruptly (TCP reset, or an erroring body). */
  destroy(): void;
  /**
   * Registers the callback for when the client goes away; `abrupt` when its
   * socket was reset (no FIN), as when a client process is killed.
   */
  onClose(listener: (abrupt: boolean) => void): void;
}
