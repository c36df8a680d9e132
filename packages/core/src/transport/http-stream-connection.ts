import type { z } from 'zod';
import { createMessageParser, type Frame, LineDecoder } from '../decode/index.js';
import { ConfigError } from '../errors/config-error.js';
import { ConnectionError } from '../errors/connection-error.js';
import { PayloadError } from '../errors/payload-error.js';
import { parseRateLimit, type RateLimitInfo } from '../http/rate-limit.js';
import { safeHeaders } from '../http/safe-headers.js';
import type { ConnectionMessage, StreamConnection } from './connection-types.js';

/** What an open connection needs besides the response. */
export interface HttpStreamConnectionInit {
  url: string;
  /** Human name of the endpoint, for messages. */
  label: string;
  response: Response;
  body: ReadableStream<Uint8Array>;
  /** Aborting it aborts the HTTP request. */
  controller: AbortController;
  validate: 'strict' | 'off';
  /** The schema each message must match with `validate: 'strict'`. */
  schema: z.ZodType;
  maxMessageBytes: number;
  onBytes: (() => void) | undefined;
  /** Called once when the connection is closed (detaches the caller's signal). */
  onClose: () => void;
}

const KEEP_ALIVE: ConnectionMessage<never> = Object.freeze({ type: 'keep-alive' });

/** A `StreamConnection` over a fetch `Response` body. */
export class HttpStreamConnection<R> implements StreamConnection<R> {
  readonly url: string;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly rateLimit: RateLimitInfo | undefined;
  readonly #init: HttpStreamConnectionInit;
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  #iterated = false;
  #closed = false;

  constructor(init: HttpStreamConnectionInit) {
    this.#init = init;
    this.url = init.url;
    this.status = init.response.status;
    this.headers = safeHeaders(init.response.headers);
    this.rateLimit = parseRateLimit(this.headers);
  }

  /** True once `close()` was called (or the caller's signal aborted). */
  get closed(): boolean {
    return this.#closed;
  }

  [Symbol.asyncIterator](): AsyncIterator<ConnectionMessage<R>> {
    if (this.#iterated) {
      throw new ConfigError(
        'This stream connection is already being read; a connection can be iterated only once.',
      );
    }
    this.#iterated = true;
    return this.#read();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#init.onClose();
    this.#init.controller.abort();
    // Cancelling is not awaited: a tee'd or proxied body may never settle its
    // cancel promise, while the pending read resolves at once either way.
    const cancelling = this.#reader ? this.#reader.cancel() : this.#init.body.cancel();
    cancelling.catch(() => undefined);
  }

  async *#read(): AsyncGenerator<ConnectionMessage<R>, void, undefined> {
    const { body, validate, schema, maxMessageBytes, onBytes } = this.#init;
    const decoder = new LineDecoder({ maxMessageBytes });
    const parse = createMessageParser({ validate, schema });
    let reader: ReadableStreamDefaultReader<Uint8Array>;
    try {
      reader = body.getReader();
    } catch (error) {
      throw new ConnectionError(`The ${this.#init.label} response body cannot be read.`, {
        cause: error,
      });
    }
    this.#reader = reader;
    if (this.#closed) {
      reader.cancel().catch(() => undefined);
      return;
    }
    try {
      for (;;) {
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await reader.read();
        } catch (error) {
          if (this.#closed) return;
          throw new ConnectionError(
            `The connection to the ${this.#init.label} was interrupted (${describe(error)}).`,
            { cause: error },
          );
        }
        if (this.#closed) return;
        if (result.done) break;
        onBytes?.();
        const frames = decoder.push(result.value);
        for (let i = 0; i < frames.length; i++) {
          const message = this.#toMessage(frames[i]!, parse);
          if (message === undefined) continue;
          yield message;
          if (this.#closed) return;
        }
      }
      for (const frame of decoder.end()) {
        const message = this.#toMessage(frame, parse);
        if (message === undefined) continue;
        yield message;
        if (this.#closed) return;
      }
    } finally {
      // Reached on break, on error and on the natural end: never leave the socket open.
      if (!this.#closed) await this.close();
    }
  }

  #toMessage(
    frame: Frame,
    parse: ReturnType<typeof createMessageParser>,
  ): ConnectionMessage<R> | undefined {
    switch (frame.type) {
      case 'keep-alive':
        return KEEP_ALIVE;
      case 'oversize':
        return {
          type: 'payload-invalid',
          error: new PayloadError('oversize', {
            byteLength: frame.byteLength,
            limit: this.#init.maxMessageBytes,
          }),
        };
      case 'message': {
        const parsed = parse(frame);
        switch (parsed.type) {
          case 'response':
            return { type: 'response', response: parsed.response as R };
          case 'invalid':
            return { type: 'payload-invalid', error: parsed.error };
          default:
            // A JSON message of a type this version does not know: skipped (X adds types over time).
            return undefined;
        }
      }
    }
  }
}

/** A short description of a low-level error for a message (never includes request headers). */
export function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    const code =
      cause && typeof cause === 'object' && typeof (cause as { code?: unknown }).code === 'string'
        ? (cause as { code: string }).code
        : undefined;
    const causeMessage = cause instanceof Error ? cause.message : undefined;
    const detail = code ?? causeMessage;
    return detail && detail !== error.message ? `${error.message}: ${detail}` : error.message;
  }
  return String(error);
}
