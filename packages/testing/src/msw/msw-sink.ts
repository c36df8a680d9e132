import { type ByteOut, gzipOut } from '../stream/byte-out.js';
import type { StreamSink } from '../stream/sink.js';

/** What fetch reports when a connection is reset mid-body (undici's shape). */
function resetError(): TypeError {
  const cause = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
  return Object.assign(new TypeError('terminated'), { cause });
}

/** Unread bytes and real ms without a read after which nobody is considered to read any more. */
const ABANDONED_BYTES = 4 * 1024 * 1024;
const ABANDONED_MS = 2_000;

/**
 * A mocked streaming body for msw: a `ReadableStream` whose chunks are the
 * sink's writes.
 *
 * msw keeps a clone of every mocked response (a tee of this stream), so a
 * consumer's `body.cancel()` never reaches this stream. The client is seen
 * gone when the request's signal aborts, or when the stream has not been
 * read for a while with megabytes waiting.
 */
export function mswStream(
  gzipped: boolean,
  signal: AbortSignal | undefined,
  open: (sink: StreamSink) => void,
): ReadableStream<Uint8Array> {
  const closeListeners: (() => void)[] = [];
  let finished = false;
  let lastPull = performance.now();
  let abandon: () => void = () => undefined;
  signal?.addEventListener('abort', () => abandon(), { once: true });
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        abandon = () => {
          if (finished) return;
          finished = true;
          controller.close();
          for (const listener of closeListeners) listener();
        };
        const body: ByteOut = {
          write: (chunk) => {
            if (finished) return;
            controller.enqueue(chunk);
            if (
              -(controller.desiredSize ?? 0) > ABANDONED_BYTES &&
              performance.now() - lastPull > ABANDONED_MS
            )
              abandon();
          },
          bufferedBytes: () => Math.max(0, -(controller.desiredSize ?? 0)),
          end: () => {
            if (finished) return;
            finished = true;
            controller.close();
          },
          flush: (done) => setImmediate(done),
          dispose: () => undefined,
        };
        const out = gzipped ? gzipOut(body, () => controller.error(resetError())) : body;
        open({
          write: (chunk) => {
            if (!finished) out.write(chunk);
          },
          bufferedBytes: () => out.bufferedBytes(),
          end: () => out.end(),
          destroy: () => {
            if (finished) return;
            out.flush(() => {
              out.dispose();
              if (finished) return;
              finished = true;
              controller.error(resetError());
            });
          },
          onClose: (listener) => {
            // An aborted fetch is a client going away cleanly: never abrupt.
            if (finished) queueMicrotask(() => listener(false));
            else closeListeners.push(() => listener(false));
          },
        });
      },
      pull() {
        lastPull = performance.now();
      },
      cancel() {
        finished = true;
        for (const listener of closeListeners) listener();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: 0 }),
  );
}
