import type { z } from 'zod';
import {
  createMessageParser,
  type Frame,
  FramingDecoder,
  type ValidationMode,
} from '../decode/index.js';
import { scrubDrifted } from '../decode/scrub-drifted.js';
import { ConfigError } from '../errors/config-error.js';
import { ConnectionError } from '../errors/connection-error.js';
import { PayloadError } from '../errors/payload-error.js';
import { parseRateLimit, type RateLimitInfo } from '../http/rate-limit.js';
import { safeHeaders } from '../http/safe-headers.js';
import type { SecretScrubber } from '../secrets/secret-scrubber.js';
import type { ConnectionMessage, Framing, StreamConnection } from './connection-types.js';
import type { ByteSource } from './transport-types.js';

/** What an open connection needs besides the response. */
export interface HttpStreamConnectionInit {
  url: string;
  /** Human name of the endpoint, for messages. */
  label: string;
  status: number;
  headers: Headers | Record<string, string>;
  body: ByteSource;
  /** Aborting it aborts the HTTP request. */
  controller: AbortController;
  validate: ValidationMode;
  /** The schema each message must match with `validate: 'strict'` or `'tolerant'`. */
  schema: z.ZodType;
  /** `'tolerant'`: a message's identity (the endpoint row's `dedupeKey`). */
  identity?: ((message: unknown) => string | undefined) | undefined;
  maxMessageBytes: number;
  onBytes: ((bytes: number) => void) | undefined;
  onFrame: (() => void) | undefined;
  /** Called once when the connection is closed (detaches the caller's signal). */
  onClose: () => void;
  /**
   * Knows the token: a server or proxy may echo the Authorization header, so
   * every invalid line, in-band problem and body error is scrubbed here,
   * where the message is made (no extra step per message).
   */
  scrubber?: SecretScrubber | undefined;
}

const KEEP_ALIVE: ConnectionMessage<never> = Object.freeze({ type: 'keep-alive' });

/**
 * A `StreamConnection` over a transport's body. Each batch of chunks is
 * framed and parsed synchronously into one array of messages
 * (`readBatch()`); the async iterator walks those arrays.
 */
export class HttpStreamConnection<R> implements StreamConnection<R> {
  readonly url: string;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly rateLimit: RateLimitInfo | undefined;
  readonly #init: HttpStreamConnectionInit;
  readonly #decoder: FramingDecoder;
  readonly #parse: ReturnType<typeof createMessageParser>;
  #mode: 'iterator' | 'batch' | undefined;
  #reading = false;
  #closed = false;
  #ended = false;

  constructor(init: HttpStreamConnectionInit) {
    this.#init = init;
    this.url = init.url;
    this.status = init.status;
    this.headers = safeHeaders(init.headers);
    this.rateLimit = parseRateLimit(this.headers);
    this.#decoder = new FramingDecoder({ maxMessageBytes: init.maxMessageBytes });
    this.#parse = createMessageParser(
      init.identity === undefined
        ? { validate: init.validate, schema: init.schema }
        : { validate: init.validate, schema: init.schema, identity: init.identity },
    );
  }

  /** True once `close()` was called (or the caller's signal aborted). */
  get closed(): boolean {
    return this.#closed;
  }

  get framing(): Framing | undefined {
    return this.#decoder.framing;
  }

  get bytesWithoutMessage(): number {
    return this.#decoder.bytesSinceFrame;
  }

  [Symbol.asyncIterator](): AsyncIterator<ConnectionMessage<R>> {
    this.#claim('iterator');
    return this.#iterate();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#init.onClose();
    this.#init.controller.abort();
    this.#init.body.cancel();
  }

  readBatch(): Promise<ConnectionMessage<R>[] | null> {
    if (this.#mode !== 'batch') this.#claim('batch');
    if (this.#reading) {
      return Promise.reject(
        new ConfigError(
          'readBatch() was called again before the previous call settled; await it first.',
        ),
      );
    }
    this.#reading = true;
    return this.#readBatch().finally(() => {
      this.#reading = false;
    });
  }

  #claim(mode: 'iterator' | 'batch'): void {
    if (this.#mode !== undefined) {
      throw new ConfigError(
        'This stream connection is already being read; a connection can be iterated only once.',
      );
    }
    this.#mode = mode;
  }

  async #readBatch(): Promise<ConnectionMessage<R>[] | null> {
    const { body, onBytes } = this.#init;
    const messages: ConnectionMessage<R>[] = [];
    while (!this.#closed && !this.#ended) {
      let chunks: Uint8Array[] | null;
      try {
        chunks = await body.read();
      } catch (error) {
        if (this.#closed) return null;
        await this.close();
        const interrupted = new ConnectionError(
          `The connection to the ${this.#init.label} was interrupted (${describe(error)}).`,
          { cause: error },
        );
        throw this.#init.scrubber?.active
          ? this.#init.scrubber.scrubError(interrupted)
          : interrupted;
      }
      if (this.#closed) return null;
      if (chunks === null) {
        this.#ended = true;
        this.#collect(this.#decoder.end(), messages);
        // The natural end: never leave the socket open.
        await this.close();
        return messages.length > 0 ? messages : null;
      }
      // Once per read, however many chunks it holds (the watchdog needs "bytes came"; stats the sum).
      if (chunks.length > 0 && onBytes !== undefined) {
        let bytes = 0;
        for (let i = 0; i < chunks.length; i++) bytes += chunks[i]!.byteLength;
        onBytes(bytes);
      }
      for (let i = 0; i < chunks.length; i++) {
        this.#collect(this.#decoder.push(chunks[i]!), messages);
      }
      if (messages.length > 0) return messages;
    }
    return null;
  }

  async *#iterate(): AsyncGenerator<ConnectionMessage<R>, void, undefined> {
    try {
      for (;;) {
        const batch = await this.#readBatch();
        if (batch === null) return;
        for (let i = 0; i < batch.length; i++) {
          yield batch[i]!;
          if (this.#closed) return;
        }
      }
    } finally {
      // Reached on break, on error and on the natural end: never leave the socket open.
      if (!this.#closed) await this.close();
    }
  }

  #collect(frames: Frame[], into: ConnectionMessage<R>[]): void {
    if (frames.length === 0) return;
    this.#init.onFrame?.();
    for (let i = 0; i < frames.length; i++) {
      const message = this.#toMessage(frames[i]!);
      if (message !== undefined) into.push(message);
    }
  }

  #toMessage(frame: Frame): ConnectionMessage<R> | undefined {
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
        const parsed = this.#parse(frame);
        switch (parsed.type) {
          case 'response': {
            const scrubber = this.#init.scrubber;
            const response = parsed.response as { errors?: unknown };
            if (scrubber?.active && response.errors !== undefined) {
              response.errors = scrubber.scrubValue(response.errors);
            }
            if (parsed.drift === undefined)
              return { type: 'response', response: parsed.response as R };
            if (scrubber?.active) scrubDrifted(scrubber, frame.text, parsed.drift);
            return { type: 'response', response: parsed.response as R, drift: parsed.drift };
          }
          case 'unrecognized': {
            const scrubber = this.#init.scrubber;
            if (scrubber?.active) scrubDrifted(scrubber, frame.text, parsed.unrecognized);
            return { type: 'unrecognized', unrecognized: parsed.unrecognized };
          }
          case 'invalid': {
            const scrubber = this.#init.scrubber;
            if (scrubber?.active) scrubber.scrubError(parsed.error);
            return { type: 'payload-invalid', error: parsed.error };
          }
          default:
            // A JSON message of a type this version does not know: skipped (X adds types over time).
            return undefined;
        }
      }
    }
  }
}

/**
 * A short description of a low-level error for a message, on one readable
 * line (never includes request headers).
 */
export function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    const code =
      cause && typeof cause === 'object' && typeof (cause as { code?: unknown }).code === 'string'
        ? (cause as { code: string }).code
        : undefined;
    const message = oneLine(error.message);
    const causeMessage = cause instanceof Error ? oneLine(cause.message) : undefined;
    const detail = code ?? causeMessage;
    return detail && detail !== message ? `${message}: ${detail}` : message;
  }
  return oneLine(String(error));
}

/**
 * OpenSSL's error text as Node passes it on (`800C…:error:0A00010B:SSL
 * routines:ssl3_get_record:wrong version number:../deps/openssl/…:350:` and
 * a line break): its reason is the part a person can read.
 */
const OPENSSL_ERROR = /\s*(?:[0-9A-F]+:)?error:[0-9A-F]+:[^:\n]*:[^:\n]*:([^:\n]+)(?::[^\n]*)?/g;

/** Text from the network stack on one line: OpenSSL's error text becomes `TLS: <reason>`. */
export function oneLine(text: string): string {
  return text
    .replace(OPENSSL_ERROR, (_, reason: string) => `, TLS: ${reason.trim()}`)
    .replace(/\s+/g, ' ')
    .trim();
}
