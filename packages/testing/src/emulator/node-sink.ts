import type { ServerResponse } from 'node:http';
import { type ByteOut, gzipOut } from '../stream/byte-out.js';
import type { StreamSink } from '../stream/sink.js';

/** Longest real wait for written bytes to reach the kernel before a reset. */
const RESET_DRAIN_LIMIT_MS = 200;

/** The response body, with every write's completion tracked. */
function responseOut(res: ServerResponse): ByteOut {
  let inFlight = 0;
  let waiting: (() => void)[] = [];
  const written = () => {
    inFlight--;
    if (inFlight === 0) for (const done of waiting.splice(0)) setImmediate(done);
  };
  return {
    write: (chunk) => {
      inFlight++;
      res.write(chunk, written);
    },
    bufferedBytes: () => res.writableLength,
    end: () => res.end(),
    flush: (done) => {
      // A reset while a write is still in flight turns into a plain close:
      // wait until every write has reached the kernel.
      if (inFlight === 0) setImmediate(done);
      else waiting.push(done);
    },
    dispose: () => {
      waiting = [];
    },
  };
}

/**
 * A stream sink over a node:http response; each write is one HTTP chunk
 * (before compression). `destroy` resets the TCP connection after the bytes
 * already written have left, so what the stats count as sent is on the wire.
 */
export function nodeSink(res: ServerResponse, gzipped: boolean): StreamSink {
  const plain = responseOut(res);
  const out = gzipped ? gzipOut(plain, () => res.destroy()) : plain;
  const gone = () => res.destroyed || res.writableEnded;
  let reset = false;
  res.socket?.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'ECONNRESET') reset = true;
  });
  return {
    write(chunk) {
      if (!gone()) out.write(chunk);
    },
    bufferedBytes: () => out.bufferedBytes(),
    end() {
      if (!gone()) out.end();
    },
    destroy() {
      const resetNow = () => {
        out.dispose();
        const socket = res.socket;
        // A TCP reset, as when a proxy or load balancer drops the connection.
        if (socket && !socket.destroyed && typeof socket.resetAndDestroy === 'function')
          socket.resetAndDestroy();
        else res.destroy();
      };
      if (gone() || !res.socket) {
        resetNow();
        return;
      }
      let done = false;
      const once = () => {
        if (done) return;
        done = true;
        clearTimeout(limit);
        resetNow();
      };
      // A client that does not read may never take the bytes: do not wait forever.
      const limit = setTimeout(once, RESET_DRAIN_LIMIT_MS);
      out.flush(once);
    },
    onClose(listener) {
      if (res.destroyed || res.closed) queueMicrotask(() => listener(reset));
      else res.once('close', () => listener(reset));
    },
  };
}
