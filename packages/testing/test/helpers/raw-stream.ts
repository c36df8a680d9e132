import { connect, type Socket } from 'node:net';
import { constants, gunzipSync } from 'node:zlib';
import { UNTIL_GIVE_UP_MS } from '@birdstream/test-utils';

/** How a response body ended on the wire. */
export type BodyEnd = 'end' | 'reset' | 'closed' | 'open';

/**
 * A minimal HTTP/1.1 client over a raw TCP socket, so tests see exactly what
 * the emulator put on the wire: each HTTP chunk separately, a TCP reset
 * distinguished from a clean end, nothing decoded or coalesced by a library.
 */
export class RawResponse {
  status = 0;
  headers: Record<string, string> = {};
  /** Payloads of the HTTP chunks, in order (wire boundaries preserved). */
  readonly chunks: Buffer[] = [];
  /** Real `performance.now()` at which each chunk arrived. */
  readonly arrivals: number[] = [];
  ended: BodyEnd = 'open';
  private buffer = Buffer.alloc(0);
  private headersDone = false;
  private contentLength: number | undefined;
  private waiters: (() => void)[] = [];
  private resolveHead!: () => void;
  readonly head = new Promise<void>((resolve) => {
    this.resolveHead = resolve;
  });

  constructor(private readonly socket: Socket) {
    socket.on('data', (data: Buffer) => this.onData(data));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (this.ended === 'open') this.ended = error.code === 'ECONNRESET' ? 'reset' : 'closed';
      this.wake();
    });
    socket.on('close', () => {
      if (this.ended === 'open') this.ended = 'closed';
      this.resolveHead();
      this.wake();
    });
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private onData(data: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, data]);
    if (!this.headersDone) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end === -1) return;
      const lines = this.buffer.subarray(0, end).toString('latin1').split('\r\n');
      this.status = Number((lines[0] ?? '').split(' ')[1]);
      for (const line of lines.slice(1)) {
        const i = line.indexOf(':');
        this.headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      this.headersDone = true;
      this.buffer = this.buffer.subarray(end + 4);
      if (this.headers['content-length'] !== undefined)
        this.contentLength = Number(this.headers['content-length']);
      this.resolveHead();
    }
    if (this.contentLength !== undefined) {
      if (this.buffer.length >= this.contentLength) {
        this.chunks.push(this.buffer.subarray(0, this.contentLength));
        this.arrivals.push(performance.now());
        this.ended = 'end';
        this.socket.destroy();
      }
      this.wake();
      return;
    }
    for (;;) {
      const lineEnd = this.buffer.indexOf('\r\n');
      if (lineEnd === -1) break;
      const size = Number.parseInt(this.buffer.subarray(0, lineEnd).toString('latin1'), 16);
      if (this.buffer.length < lineEnd + 2 + size + 2) break;
      if (size === 0) {
        this.ended = 'end';
        this.buffer = Buffer.alloc(0);
        break;
      }
      this.chunks.push(this.buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
      this.arrivals.push(performance.now());
      this.buffer = this.buffer.subarray(lineEnd + 2 + size + 2);
    }
    this.wake();
  }

  private parsedChunks = 0;
  private decoder = new TextDecoder();
  private pendingText = '';
  private parsedLines: string[] = [];
  private parsedMessages: unknown[] = [];

  /** The body bytes received so far (decompressed when gzip). */
  body(): Buffer {
    const raw = Buffer.concat(this.chunks);
    if (this.headers['content-encoding'] === 'gzip' && raw.length > 0) {
      return gunzipSync(raw, { finishFlush: constants.Z_SYNC_FLUSH });
    }
    return raw;
  }

  text(): string {
    return this.body().toString('utf8');
  }

  /** Complete `\r\n`-terminated lines; keep-alives are empty strings. */
  lines(): string[] {
    if (this.headers['content-encoding'] === 'gzip') {
      const parts = this.text().split('\r\n');
      parts.pop();
      return parts;
    }
    // Incremental: only the chunks that arrived since the last call are decoded.
    for (; this.parsedChunks < this.chunks.length; this.parsedChunks++) {
      this.pendingText += this.decoder.decode(this.chunks[this.parsedChunks], { stream: true });
      const parts = this.pendingText.split('\r\n');
      this.pendingText = parts.pop() ?? '';
      for (const line of parts) {
        this.parsedLines.push(line);
        if (line !== '') this.parsedMessages.push(JSON.parse(line));
      }
    }
    return this.parsedLines;
  }

  /** Parsed JSON messages (keep-alives left out). */
  messages<
    T = {
      data: { id: string; text: string };
      matching_rules?: { id: string; tag: string }[];
      includes?: Record<string, unknown[]>;
      errors?: unknown[];
    },
  >(): T[] {
    if (this.headers['content-encoding'] === 'gzip') {
      return this.lines()
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as T);
    }
    this.lines();
    return this.parsedMessages as T[];
  }

  postIds(): string[] {
    return this.messages()
      .filter((m) => m.data)
      .map((m) => m.data.id);
  }

  /**
   * Resolves once `predicate` holds (checked after every packet); rejects after `timeoutMs` of
   * wall time, a bound for a hang only (generous: a busy machine may take seconds).
   */
  async until(predicate: () => boolean, timeoutMs = UNTIL_GIVE_UP_MS): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!predicate()) {
      if (this.ended !== 'open') {
        if (predicate()) return;
        throw new Error(`Connection ended (${this.ended}) before the condition held.`);
      }
      const left = deadline - performance.now();
      if (left <= 0) throw new Error('Timed out waiting for the condition.');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Resolves when the body has ended one way or another (or `'open'` after `timeoutMs` of wall time). */
  async closed(timeoutMs = UNTIL_GIVE_UP_MS): Promise<BodyEnd> {
    const deadline = performance.now() + timeoutMs;
    while (this.ended === 'open' && performance.now() < deadline) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, deadline - performance.now()));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.ended;
  }

  /** Closes the socket from the client side. */
  close(): void {
    this.socket.destroy();
  }

  /** Resets the socket (RST, no FIN), as the kernel does for a killed process with unread data. */
  reset(): void {
    this.socket.resetAndDestroy();
  }

  /** Stops reading (the kernel buffers fill, then the server's backlog grows). */
  pause(): void {
    this.socket.pause();
  }

  /** Reads again. */
  resume(): void {
    this.socket.resume();
  }
}

/** Sends one request over a fresh TCP connection and resolves once the response head arrived. */
export async function rawRequest(
  baseUrl: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const socket = connect(Number(url.port), url.hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const response = new RawResponse(socket);
  const headers: Record<string, string> = {
    host: url.host,
    authorization: 'Bearer test-token',
    ...options.headers,
  };
  if (options.body !== undefined)
    headers['content-length'] = String(Buffer.byteLength(options.body));
  const head = `${options.method ?? 'GET'} ${path} HTTP/1.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n')}\r\n\r\n`;
  socket.write(head + (options.body ?? ''));
  await response.head;
  return response;
}

export const STREAM = '/2/tweets/search/stream';
export const SAMPLE = '/2/tweets/sample/stream';
export const RULES = '/2/tweets/search/stream/rules';

/** Calls a JSON endpoint with fetch. */
export async function api(
  baseUrl: string,
  path: string,
  init: {
    method?: string;
    body?: unknown;
    token?: string | null;
    headers?: Record<string, string>;
  } = {},
): Promise<{ status: number; headers: Headers; text: string; json: Record<string, unknown> }> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token !== null) headers.authorization = `Bearer ${init.token ?? 'test-token'}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body:
      init.body === undefined
        ? undefined
        : typeof init.body === 'string'
          ? init.body
          : JSON.stringify(init.body),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON (HTML 5xx)
  }
  return { status: res.status, headers: res.headers, text, json };
}
