import { constants, createGzip } from 'node:zlib';

/** Where a transport's body bytes go, before any socket-level concerns. */
export interface ByteOut {
  write(chunk: Uint8Array): void;
  /** Bytes accepted but not yet taken by the client. */
  bufferedBytes(): number;
  end(): void;
  /** Calls `done` once everything written so far has left. */
  flush(done: () => void): void;
  /** Drops whatever is pending (the connection is being torn down). */
  dispose(): void;
}

/**
 * Gzip in front of `out`, with a sync flush after each batch of writes made
 * in one tick: messages are never held back by the compressor (X streams
 * gzip the same way), and the compressor is not flooded with one job per
 * tiny write.
 */
export function gzipOut(out: ByteOut, onError: () => void): ByteOut {
  const zip = createGzip();
  zip.on('error', onError);
  zip.on('data', (chunk: Buffer) => out.write(chunk));
  zip.on('end', () => out.end());
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let immediate: ReturnType<typeof setImmediate> | undefined;
  const compress = (done?: () => void) => {
    if (immediate) clearImmediate(immediate);
    immediate = undefined;
    if (zip.destroyed || zip.writableEnded) {
      done?.();
      return;
    }
    if (pending.length > 0) zip.write(Buffer.concat(pending));
    pending = [];
    pendingBytes = 0;
    zip.flush(constants.Z_SYNC_FLUSH, () => {
      // The compressed bytes are emitted around the callback: let them reach `out` first.
      if (done) setImmediate(() => out.flush(done));
    });
  };
  return {
    write(chunk) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      immediate ??= setImmediate(() => compress());
    },
    bufferedBytes: () => pendingBytes + zip.writableLength + out.bufferedBytes(),
    end() {
      compress();
      zip.end();
    },
    flush: (done) => compress(done),
    dispose() {
      if (immediate) clearImmediate(immediate);
      immediate = undefined;
      pending = [];
      zip.destroy();
      out.dispose();
    },
  };
}
