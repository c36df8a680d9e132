import { DEFAULT_MAX_MESSAGE_BYTES, type Frame, LineDecoder } from './line-decoder.js';

/**
 * How a body is cut into messages:
 * - `crlf`: each message ends with `\r\n` (X's API); a bare `\n` stays inside;
 * - `lf`: each message ends with `\n` (X's playground emulator);
 * - `sse`: Server-Sent Events, a message per event of `data:` lines.
 */
export type Framing = 'crlf' | 'lf' | 'sse';

/** Options of {@link FramingDecoder}. */
export interface FramingDecoderOptions {
  /** @default 16 MiB (as {@link LineDecoder}) */
  maxMessageBytes?: number;
  /** Skip detection and use this framing. */
  framing?: Framing;
}

const CR = 0x0d;
const LF = 0x0a;
const EMPTY = new Uint8Array(0);
const KEEP_ALIVE: Frame = Object.freeze({ type: 'keep-alive' });
const SSE_FIELDS = ['data', 'event', 'id', 'retry'].map((name) => new TextEncoder().encode(name));
const COLON = 0x3a;

/**
 * Cuts a stream body into frames, choosing the framing from the first line
 * (decisions/0003, "Adaptive framing"):
 *
 * 1. The first line is an SSE field (`data:`, `event:`, `id:`, `retry:`) or
 *    an SSE comment (`:`): **sse** (lines end in `\n` or `\r\n`).
 * 2. Else the first `\n` has a `\r` before it: **crlf**.
 * 3. Else the text before a bare `\n` is empty (a keep-alive) or a complete,
 *    non-empty JSON object: **lf** (after an empty line, an SSE field line
 *    before any message still switches to **sse**). Otherwise that `\n` sits inside a message and the
 *    next one decides, so a bare `\n` inside a first message of a `\r\n`
 *    stream never splits it.
 * 4. No decision after `maxMessageBytes`: **crlf** (the line decoder then
 *    reports the oversize line).
 *
 * The bytes seen while deciding are then decoded with the chosen framing,
 * so nothing is lost or decoded twice.
 */
export class FramingDecoder {
  readonly maxMessageBytes: number;
  #framing: Framing | undefined;
  #lines: LineDecoder | undefined;
  #sse: SseEvents | undefined;
  /** Undecided bytes (the first line(s)). */
  #head: Uint8Array = EMPTY;
  #headLength = 0;
  /** Where the scan for `\n` resumes in `#head`. */
  #scanFrom = 0;
  /** The start of the segment after the last bare `\n` in `#head`. */
  #segmentStart = 0;
  /** Decided `lf` from an empty first line: an SSE field line before any message still switches to `sse`. */
  #provisional = false;
  readonly #utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

  constructor(options: FramingDecoderOptions = {}) {
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    // Validates the bound (RangeError) before any byte arrives.
    const probe = new LineDecoder({ maxMessageBytes: this.maxMessageBytes });
    if (options.framing !== undefined) this.#decide(options.framing, probe);
  }

  /** The framing in use (`undefined` until the first line decided it). */
  get framing(): Framing | undefined {
    return this.#framing;
  }

  /** Bytes received since the last complete frame. */
  get bytesSinceFrame(): number {
    if (!this.#lines) return this.#headLength;
    return this.#lines.pendingBytes + (this.#sse?.pendingBytes ?? 0);
  }

  /** Feeds the next chunk; returns the frames it completed, in order. */
  push(chunk: Uint8Array): Frame[] {
    if (this.#lines) {
      const frames = this.#lines.push(chunk);
      if (this.#sse) return this.#sse.push(frames);
      return this.#provisional ? this.#confirm(frames) : frames;
    }
    this.#append(chunk);
    const framing = this.#detect();
    if (framing === undefined) return [];
    this.#decide(framing);
    const head = this.#head.subarray(0, this.#headLength);
    this.#head = EMPTY;
    this.#headLength = 0;
    return this.push(head);
  }

  /** The body ended: the last frame(s), as {@link LineDecoder.end}. */
  end(): Frame[] {
    if (!this.#lines) {
      // Never decided: no line ended. Decode what there is as one crlf line.
      this.#decide('crlf');
      const head = this.#head.subarray(0, this.#headLength);
      this.#head = EMPTY;
      this.#headLength = 0;
      const frames = this.#lines!.push(head);
      return frames.concat(this.#lines!.end());
    }
    let frames = this.#lines.end();
    if (this.#provisional) frames = this.#confirm(frames);
    return this.#sse ? this.#sse.push(frames).concat(this.#sse.end()) : frames;
  }

  /** Provisional `lf`: the first message line says whether the body is really SSE. */
  #confirm(frames: Frame[]): Frame[] {
    for (let i = 0; i < frames.length; i++) {
      const frame = frames[i]!;
      if (frame.type === 'keep-alive') continue;
      this.#provisional = false;
      if (
        frame.type !== 'message' ||
        !isSseLine(
          new TextEncoder().encode(frame.text.slice(0, 8)),
          0,
          Math.min(frame.text.length, 8),
        )
      ) {
        return frames;
      }
      this.#framing = 'sse';
      this.#sse = new SseEvents(this.maxMessageBytes);
      return frames.slice(0, i).concat(this.#sse.push(frames.slice(i)));
    }
    return frames;
  }

  #decide(framing: Framing, lines?: LineDecoder): void {
    this.#framing = framing;
    this.#lines =
      framing === 'crlf' && lines
        ? lines
        : new LineDecoder({
            maxMessageBytes: this.maxMessageBytes,
            lineEnding: framing === 'crlf' ? 'crlf' : 'lf',
          });
    if (framing === 'sse') this.#sse = new SseEvents(this.maxMessageBytes);
  }

  #append(chunk: Uint8Array): void {
    const needed = this.#headLength + chunk.length;
    if (needed > this.#head.length) {
      const grown = new Uint8Array(Math.max(needed, this.#head.length * 2, 4096));
      grown.set(this.#head.subarray(0, this.#headLength));
      this.#head = grown;
    }
    this.#head.set(chunk, this.#headLength);
    this.#headLength = needed;
  }

  #detect(): Framing | undefined {
    const head = this.#head;
    const length = this.#headLength;
    if (this.#segmentStart === 0 && isSseLine(head, 0, length)) return 'sse';
    let lf = head.subarray(0, length).indexOf(LF, this.#scanFrom);
    while (lf !== -1) {
      const start = this.#segmentStart;
      if (lf > 0 && head[lf - 1] === CR) return 'crlf';
      if (lf === start) {
        this.#provisional = true;
        return 'lf';
      }
      if (isJsonObject(this.#utf8.decode(head.subarray(start, lf)))) return 'lf';
      // A bare \n inside a message: the next \n decides.
      this.#segmentStart = lf + 1;
      lf = head.subarray(0, length).indexOf(LF, lf + 1);
    }
    this.#scanFrom = length;
    return length > this.maxMessageBytes ? 'crlf' : undefined;
  }
}

/** The first line starts with an SSE field name and a colon (or is a `:` comment). */
function isSseLine(bytes: Uint8Array, start: number, length: number): boolean {
  if (length > start && bytes[start] === COLON) return true;
  for (const name of SSE_FIELDS) {
    if (length - start < name.length + 1) continue;
    let match = bytes[start + name.length] === COLON;
    for (let i = 0; match && i < name.length; i++) match = bytes[start + i] === name[i];
    if (match) return true;
  }
  return false;
}

/**
 * A complete JSON object with at least one member: what a whole message is.
 * (A line of a pretty-printed message can be a JSON number or `{}`, never a
 * non-empty object.)
 */
function isJsonObject(text: string): boolean {
  if (!/^\s*\{\s*"/.test(text)) return false;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

const DATA_PREFIX = /^data(?::(?: ?))?/;

/**
 * Assembles Server-Sent Events from lines: `data:` lines accumulate (joined
 * with `\n`), an empty line dispatches the event as one message; a
 * `:` comment or an empty event is a keep-alive; `event:`, `id:` and
 * `retry:` are ignored.
 */
class SseEvents {
  readonly #max: number;
  #data: string[] = [];
  #bytes = 0;
  #oversize = false;
  /** A field line (data, event, id, retry) since the last dispatch. */
  #fields = false;
  /** A comment since the last dispatch (it was reported as a keep-alive). */
  #comment = false;

  constructor(maxMessageBytes: number) {
    this.#max = maxMessageBytes;
  }

  get pendingBytes(): number {
    return this.#bytes;
  }

  push(lines: Frame[]): Frame[] {
    const frames: Frame[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.type === 'keep-alive') {
        // A blank line ends the event; after only a comment (already a keep-alive) it adds nothing.
        if (this.#fields || this.#oversize || !this.#comment) frames.push(this.#dispatch());
        this.#comment = false;
      } else if (line.type === 'oversize') {
        this.#oversize = true;
        this.#bytes += line.byteLength;
      } else if (line.text.charCodeAt(0) === COLON) {
        if (!this.#fields && !this.#oversize) frames.push(KEEP_ALIVE);
        this.#comment = true;
      } else {
        this.#fields = true;
        if (!line.text.startsWith('data')) continue; // event:, id:, retry: or an unknown field
        const prefix = DATA_PREFIX.exec(line.text)![0];
        if (prefix.length === 4 && line.text.length > 4) continue; // a field such as `datafoo`
        this.#bytes += line.byteLength - prefix.length + (this.#data.length > 0 ? 1 : 0);
        if (this.#bytes > this.#max) this.#oversize = true;
        if (!this.#oversize) this.#data.push(line.text.slice(prefix.length));
      }
    }
    return frames;
  }

  end(): Frame[] {
    return this.#data.length > 0 || this.#oversize ? [this.#dispatch()] : [];
  }

  #dispatch(): Frame {
    let frame: Frame;
    if (this.#oversize) frame = { type: 'oversize', byteLength: this.#bytes };
    else if (this.#data.length === 0) frame = KEEP_ALIVE;
    else frame = { type: 'message', text: this.#data.join('\n'), byteLength: this.#bytes };
    this.#data = [];
    this.#bytes = 0;
    this.#oversize = false;
    this.#fields = false;
    this.#comment = false;
    return frame;
  }
}
