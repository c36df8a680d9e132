import { MAX_ERROR_BODY_BYTES, readErrorBody } from '@birdstream/core';
import { describe, expect, test } from 'vitest';

describe('readErrorBody', () => {
  test('reads a small body whole, multi-byte characters split across chunks included', async () => {
    const bytes = new TextEncoder().encode('{"title":"Zürich ✓"}');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const byte of bytes) controller.enqueue(Uint8Array.of(byte));
        controller.close();
      },
    });
    expect(await readErrorBody(new Response(body, { status: 500 }))).toBe('{"title":"Zürich ✓"}');
  });

  test('stops at the cap and cancels a body that never ends', async () => {
    let cancelled = false;
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(10_000).fill(0x61));
      },
      cancel() {
        cancelled = true;
      },
    });
    const text = await readErrorBody(new Response(body, { status: 502 }));
    expect(MAX_ERROR_BODY_BYTES).toBe(64 * 1024);
    expect(text.length).toBe(MAX_ERROR_BODY_BYTES);
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThan(10);
  });

  test('a response without a body reads as empty', async () => {
    expect(await readErrorBody(new Response(null, { status: 503 }))).toBe('');
  });
});
