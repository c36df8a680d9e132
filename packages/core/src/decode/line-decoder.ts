/**
 * One unit of the stream body, as cut by {@link LineDecoder}.
 *
 * - `message`: one complete line, UTF-8 decoded, without its `\r\n`.
 * - `keep-alive`: an empty line (a bare `\r\n`), which X sends at least every 20 s.
 * - `oversize`: a line longer than `maxMessageBytes`. Its bytes were discarded
 *   as they arrived and decoding resumed after its `\r\n`.
 */
export type Frame =
  | { type: 'message'; text: string; byteLength: number }
  | { type: 'keep-alive' }
  | { type: 'oversize'; byteLength: number };

/** Options of {@link LineDecoder}. */
export interface LineDecoderOptions {
  /**
   * The largest line, in bytes without its `\r\n`, that is buffered and
   * decoded. A longer line is dropped as it arrives (memory stays bounded) and
   * reported once as an `oversize` frame when its `\r\n` arrives.
   * @default 16_777_216 (16 MiB)
   */
  maxMessageBytes?: number;
  /**
   * `'crlf'`: only `\r\n` ends a line (X's framing; a bare `\n` stays inside
   * the message). `'lf'`: every `\n` ends a line and a `\r` just before it
   * is dropped (X's playground emulator, SSE bodies).
   * @default 'crlf'
   */
  lineEnding?: 'crlf' | 'lf';
}

/** 16 MiB: far above any real post (a few KB) yet a bound on memory. */
export const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

const CR = 0x0d;
const LF = 0x0a;
const EMPTY = new Uint8Array(0);
const KEEP_ALIVE: Frame = Object.freeze({ type: 'keep-alive' });
/** The carry buffer starts at this size and doubles as needed. */
const MIN_CARRY = 16 * 1024;
/** After a line larger than this, the carry buffer is released instead of kept for reuse. */
const MAX_RETAINED_CARRY = 1024 * 1024;

/**
 * Cuts a byte stream into lines ending in `\r\n` (X's framing) and decodes
 * each complete line as UTF-8, once.
 *
 * - Only `\r\n` ends a message; a bare `\n` (which may sit inside a post's
 *   text) or a bare `\r` is part of the line.
 * - Chunks may split anything: a `\r` at the end of one chunk and `\n` at the
 *   start of the next still end the line, and a multi-byte UTF-8 character
 *   split across chunks decodes correctly (lines are split on bytes, which
 *   never occur inside a multi-byte sequence, and decoded whole).
 * - Each byte is scanned once (the search for `\n` resumes where the
 *   previous chunk ended); an unfinished line is copied once into a reusable
 *   buffer, never re-concatenated.
 *
 * Decoding is lossless (a U+FEFF at the start of a line is kept). The decoder
 * does not keep references to the chunks it is given.
 *
 * @example
 * ```ts
 * const decoder = new LineDecoder();
 * for await (const chunk of body) {
 *   for (const frame of decoder.push(chunk)) {
 *     if (frame.type === 'message') console.log(JSON.parse(frame.text));
 *   }
 * }
 * for (const frame of decoder.end()) { ... }
 * ```
 */
export class LineDecoder {
  /** The bound on a line's size, in bytes. */
  readonly maxMessageBytes: number;
  /** What ends a line. */
  readonly lineEnding: 'crlf' | 'lf';
  readonly #anyLf: boolean;
  readonly #utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
  /** The start of the unfinished line (bytes of earlier chunks). */
  #carry: Uint8Array = EMPTY;
  /** How many bytes of `#carry` are in use. */
  #carried = 0;
  /** Bytes of the unfinished line received so far, including discarded ones. */
  #lineBytes = 0;
  /** The unfinished line is over the bound: its bytes are being dropped. */
  #discarding = false;
  /** The last byte received (of the unfinished line) was `\r`. */
  #pendingCR = false;

  constructor(options: LineDecoderOptions = {}) {
    const max = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    if (!Number.isSafeInteger(max) || max < 1) {
      throw new RangeError(
        `maxMessageBytes must be a positive whole number of bytes, got ${String(max)}.`,
      );
    }
    this.maxMessageBytes = max;
    this.lineEnding = options.lineEnding === 'lf' ? 'lf' : 'crlf';
    this.#anyLf = this.lineEnding === 'lf';
  }

  /** Feeds the next chunk; returns the frames it completed, in order (often none). */
  push(chunk: Uint8Array): Frame[] {
    const length = chunk.length;
    const frames: Frame[] = [];
    if (length === 0) return frames;
    let start = 0;
    let lf = chunk.indexOf(LF);
    while (lf !== -1) {
      const crlf = lf > start ? chunk[lf - 1] === CR : this.#lineBytes > 0 && this.#pendingCR;
      if (crlf || this.#anyLf) {
        frames.push(this.#completeLine(chunk, start, lf, crlf));
        start = lf + 1;
      }
      // A bare \n is part of the line: keep searching after it.
      lf = chunk.indexOf(LF, lf + 1);
    }
    if (start < length) this.#keep(chunk, start, length);
    return frames;
  }

  /**
   * The body ended. Returns a final `message` for leftover bytes that had no
   * `\r\n` (if there are any besides a trailing `\r`), or `oversize` if they
   * were over the bound, and resets the decoder for reuse.
   */
  end(): Frame[] {
    if (this.#lineBytes === 0) {
      this.#startLine();
      return [];
    }
    const byteLength = this.#lineBytes - (this.#pendingCR ? 1 : 0);
    let frame: Frame | undefined;
    if (this.#discarding || byteLength > this.maxMessageBytes) {
      frame = { type: 'oversize', byteLength };
    } else if (byteLength > 0) {
      frame = {
        type: 'message',
        text: this.#utf8.decode(this.#carry.subarray(0, byteLength)),
        byteLength,
      };
    }
    this.#startLine();
    return frame ? [frame] : [];
  }

  /** Bytes of the current, unfinished line held in memory (for diagnostics). */
  get bufferedBytes(): number {
    return this.#carried;
  }

  /** Bytes received since the last line ended (including dropped ones). */
  get pendingBytes(): number {
    return this.#lineBytes;
  }

  /** The line ends at `chunk[lf]` (with a `\r` just before when `cr`): build its frame. */
  #completeLine(chunk: Uint8Array, start: number, lf: number, cr: boolean): Frame {
    const terminator = cr ? 1 : 0; // the \r before the \n, if any
    if (this.#lineBytes === 0) {
      // The whole line is in this chunk: decode straight from it, no copy.
      const byteLength = lf - terminator - start;
      if (byteLength === 0) return KEEP_ALIVE;
      if (byteLength > this.maxMessageBytes) return { type: 'oversize', byteLength };
      return {
        type: 'message',
        text: this.#utf8.decode(chunk.subarray(start, start + byteLength)),
        byteLength,
      };
    }
    // The line began in an earlier chunk; `lf - start` bytes of it (\r included) are here.
    const byteLength = this.#lineBytes + (lf - start) - terminator;
    let frame: Frame;
    if (this.#discarding || byteLength > this.maxMessageBytes) {
      frame = { type: 'oversize', byteLength };
    } else if (byteLength === 0) {
      frame = KEEP_ALIVE; // "\r" | "\n"
    } else {
      this.#append(chunk, start, lf);
      frame = {
        type: 'message',
        text: this.#utf8.decode(this.#carry.subarray(0, byteLength)),
        byteLength,
      };
    }
    this.#startLine();
    return frame;
  }

  /** Keeps `chunk[start, end)`, the beginning of an unfinished line. */
  #keep(chunk: Uint8Array, start: number, end: number): void {
    this.#lineBytes += end - start;
    this.#pendingCR = chunk[end - 1] === CR;
    if (this.#discarding) return;
    // A trailing \r may be the first half of the terminator: it does not count yet.
    if (this.#lineBytes - (this.#pendingCR ? 1 : 0) > this.maxMessageBytes) {
      this.#discarding = true;
      this.#carried = 0;
      this.#releaseLargeCarry();
      return;
    }
    this.#append(chunk, start, end);
  }

  #append(chunk: Uint8Array, start: number, end: number): void {
    const needed = this.#carried + (end - start);
    if (needed > this.#carry.length) {
      let capacity = Math.max(this.#carry.length * 2, MIN_CARRY);
      while (capacity < needed) capacity *= 2;
      // Never grow past what the bound can need (the line plus its \r).
      capacity = Math.max(needed, Math.min(capacity, this.maxMessageBytes + 1));
      const grown = new Uint8Array(capacity);
      grown.set(this.#carry.subarray(0, this.#carried));
      this.#carry = grown;
    }
    this.#carry.set(chunk.subarray(start, end), this.#carried);
    this.#carried = needed;
  }

  #startLine(): void {
    this.#carried = 0;
    this.#lineBytes = 0;
    this.#discarding = false;
    this.#pendingCR = false;
    this.#releaseLargeCarry();
  }

  #releaseLargeCarry(): void {
    if (this.#carry.length > MAX_RETAINED_CARRY) this.#carry = EMPTY;
  }
}
