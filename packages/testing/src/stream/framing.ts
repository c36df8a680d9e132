/**
 * How messages are delimited on the wire:
 * - `crlf`: X's API, every message and keep-alive ends in `\r\n` (`application/json`);
 * - `lf`: X's local emulator (the "playground"), messages and keep-alives end in a
 *   bare `\n`, served as `text/event-stream` (spec §10);
 * - `sse`: server-sent events, `data: <json>\n\n`, keep-alives a bare `\n`, served
 *   as `text/event-stream`.
 */
export type Framing = 'crlf' | 'lf' | 'sse';

/** Every framing, for option checks and help texts. */
export const FRAMINGS: readonly Framing[] = ['crlf', 'lf', 'sse'];

const encoder = new TextEncoder();
const KEEP_ALIVE: Record<Framing, Uint8Array> = {
  crlf: new Uint8Array([0x0d, 0x0a]),
  lf: new Uint8Array([0x0a]),
  sse: new Uint8Array([0x0a]),
};

/** One JSON message, framed. */
export function frameJson(json: string, framing: Framing): Uint8Array {
  if (framing === 'crlf') return encoder.encode(`${json}\r\n`);
  if (framing === 'lf') return encoder.encode(`${json}\n`);
  return encoder.encode(`data: ${json}\n\n`);
}

/** A keep-alive, framed. */
export function keepAliveBytes(framing: Framing): Uint8Array {
  return KEEP_ALIVE[framing];
}

/** How many bytes end each framed message (`\r\n`, `\n`, `\n\n`). */
export function terminatorLength(framing: Framing): number {
  return framing === 'lf' ? 1 : 2;
}

/** The `Content-Type` of a stream in this framing. */
export function streamContentType(framing: Framing): string {
  return framing === 'crlf' ? 'application/json; charset=utf-8' : 'text/event-stream';
}
