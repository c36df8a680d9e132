/**
 * ReadableStream bodies for streaming tests (msw `new HttpResponse(body)` or
 * `new Response(body)`): fixed chunks, a body that never ends, a body that
 * fails mid-stream like a dropped connection, and one the test drives step by
 * step.
 */

const encoder = new TextEncoder();

/** A chunk as a test writes it: text (encoded as UTF-8) or raw bytes. */
export type BodyChunk = string | Uint8Array;

function toBytes(chunk: BodyChunk): Uint8Array {
  return typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
}

/** Splits UTF-8 text into byte chunks of `size` bytes (multi-byte characters get cut on purpose). */
export function splitBytes(text: string, size: number): Uint8Array[] {
  const bytes = encoder.encode(text);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return chunks;
}

/** One stream message as X frames it: the JSON text followed by `\r\n`. */
export function streamLine(message: unknown): string {
  return `${typeof message === 'string' ? message : JSON.stringify(message)}\r\n`;
}

/** A body that delivers `chunks` one per read, then ends. */
export function bodyFromChunks(chunks: readonly BodyChunk[]): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[index++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(toBytes(chunk));
    },
  });
}

/** What a cancellable body records about its cancellation. */
export interface CancelSpy {
  /** How many times the source's `cancel` was called. */
  readonly cancelCalls: number;
  /** The reason passed to the last `cancel`. */
  readonly cancelReason: unknown;
  /** Resolves when `cancel` is first called. */
  readonly cancelled: Promise<unknown>;
}

/**
 * A body that delivers `chunks` and then stays open forever, like a quiet
 * stream. `cancelCalls` tells whether the reader cancelled it.
 */
export function neverEndingBody(
  chunks: readonly BodyChunk[] = [],
): CancelSpy & { body: ReadableStream<Uint8Array> } {
  const body = controlledBody();
  for (const chunk of chunks) body.push(chunk);
  return {
    body: body.body,
    get cancelCalls() {
      return body.cancelCalls;
    },
    get cancelReason() {
      return body.cancelReason;
    },
    cancelled: body.cancelled,
  };
}

/**
 * A body that delivers `chunks`, then fails as a dropped connection does
 * (`TypeError: terminated`, what undici reports for a reset socket).
 */
export function erroringBody(
  chunks: readonly BodyChunk[],
  error: unknown = new TypeError('terminated'),
): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[index++];
      if (chunk === undefined) controller.error(error);
      else controller.enqueue(toBytes(chunk));
    },
  });
}

/** A body the test drives: push chunks, send keep-alives, end or fail it. */
export interface ControlledBody extends CancelSpy {
  readonly body: ReadableStream<Uint8Array>;
  /** Enqueues raw text or bytes. */
  push(chunk: BodyChunk): void;
  /** Enqueues one framed message (`JSON + \r\n`). */
  message(message: unknown): void;
  /** Enqueues a keep-alive (`\r\n`). */
  keepAlive(): void;
  /** Ends the body normally (the server closed the stream). */
  end(): void;
  /** Fails the body (`TypeError: terminated` by default), as a network drop does. */
  fail(error?: unknown): void;
  /** True once ended, failed or cancelled. */
  readonly closed: boolean;
}

/** Creates a body the test drives step by step. */
export function controlledBody(): ControlledBody {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  let cancelCalls = 0;
  let cancelReason: unknown;
  let resolveCancelled!: (reason: unknown) => void;
  const cancelled = new Promise<unknown>((resolve) => {
    resolveCancelled = resolve;
  });
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    cancel(reason) {
      cancelCalls++;
      cancelReason = reason;
      closed = true;
      resolveCancelled(reason);
    },
  });
  const push = (chunk: BodyChunk) => {
    if (!closed) controller.enqueue(toBytes(chunk));
  };
  return {
    body,
    push,
    message: (message) => push(streamLine(message)),
    keepAlive: () => push('\r\n'),
    end() {
      if (closed) return;
      closed = true;
      controller.close();
    },
    fail(error: unknown = new TypeError('terminated')) {
      if (closed) return;
      closed = true;
      controller.error(error);
    },
    get closed() {
      return closed;
    },
    get cancelCalls() {
      return cancelCalls;
    },
    get cancelReason() {
      return cancelReason;
    },
    cancelled,
  };
}
