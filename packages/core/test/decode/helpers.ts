import type { Frame } from '../../src/decode/index.js';
import { LineDecoder } from '../../src/decode/index.js';

export const utf8 = new TextEncoder();

/** Runs `chunks` through a fresh decoder (plus `end()`), returning every frame. */
export function decodeAll(
  chunks: readonly (Uint8Array | string)[],
  options?: { maxMessageBytes?: number },
): Frame[] {
  const decoder = new LineDecoder(options);
  const frames: Frame[] = [];
  for (const chunk of chunks) {
    frames.push(...decoder.push(typeof chunk === 'string' ? utf8.encode(chunk) : chunk));
  }
  frames.push(...decoder.end());
  return frames;
}

/** A `message` frame for `text`, with its UTF-8 byte length. */
export function message(text: string): Frame {
  return { type: 'message', text, byteLength: utf8.encode(text).length };
}

export const keepAlive: Frame = { type: 'keep-alive' };
