import { STREAM_ENDPOINT_TABLE } from '@birdstream/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { rawRequest } from './helpers/raw-stream.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const SAMPLE = STREAM_ENDPOINT_TABLE.sample.path;

/** The sample stream up to a clean close after six posts: the whole body, and what the emulator says it sent. */
async function body(framing: 'crlf' | 'lf' | 'sse') {
  // ×20, so that a late tick on a busy machine does not swallow every keep-alive between posts.
  emu = await startEmulator({ seed: 5, rate: 1, timeScale: 20, keepAliveMs: 200, framing });
  emu.inject({ type: 'close', afterPosts: 6 });
  const res = await rawRequest(emu.url, SAMPLE);
  expect(await res.closed()).toBe('end');
  const stats = emu.stats();
  expect(stats.keepAlivesSent).toBeGreaterThanOrEqual(1);
  return { res, text: res.body().toString('utf8'), stats };
}

describe('framing option (X playground imitation)', () => {
  it("'crlf' (default): application/json, each message and keep-alive ends in \\r\\n", async () => {
    const { res, text, stats } = await body('crlf');
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const parts = text.split('\r\n');
    expect(parts.pop()).toBe('');
    expect(parts.filter((p) => p === '').length).toBe(stats.keepAlivesSent);
    expect(parts.filter((p) => p !== '').map((p) => JSON.parse(p).data.id)).toEqual(
      stats.uniquePostIds,
    );
  });

  it("'lf': text/event-stream, messages and keep-alives end in a bare \\n, no \\r anywhere", async () => {
    const { res, text, stats } = await body('lf');
    expect(res.headers['content-type']).toBe('text/event-stream');
    expect(text).not.toContain('\r');
    const parts = text.split('\n');
    expect(parts.pop()).toBe('');
    expect(parts.filter((p) => p === '').length).toBe(stats.keepAlivesSent);
    expect(parts.filter((p) => p !== '').map((p) => JSON.parse(p).data.id)).toEqual(
      stats.uniquePostIds,
    );
  });

  it("'sse': text/event-stream, each message is `data: <json>\\n\\n`, keep-alives a bare \\n", async () => {
    const { res, text, stats } = await body('sse');
    expect(res.headers['content-type']).toBe('text/event-stream');
    expect(text).not.toContain('\r');
    const ids: string[] = [];
    let keepAlives = 0;
    let rest = text;
    while (rest.length > 0) {
      if (rest.startsWith('\n')) {
        keepAlives++;
        rest = rest.slice(1);
        continue;
      }
      expect(rest.startsWith('data: ')).toBe(true);
      const end = rest.indexOf('\n\n');
      expect(end).toBeGreaterThan(0);
      ids.push(JSON.parse(rest.slice(6, end)).data.id);
      rest = rest.slice(end + 2);
    }
    expect(ids).toEqual(stats.uniquePostIds);
    expect(keepAlives).toBe(stats.keepAlivesSent);
  });

  it("a 'crlf' split fault in 'lf' framing cuts off the bare \\n alone", async () => {
    emu = await startEmulator({ seed: 5, rate: 20, timeScale: 100, framing: 'lf' });
    emu.inject({ type: 'split', mode: 'crlf', messages: 4 });
    const res = await rawRequest(emu.url, SAMPLE);
    const e = emu;
    await res.until(() => e.stats().postsSent >= 4);
    res.close();
    const lone = res.chunks.filter((c) => c.length === 1 && c[0] === 0x0a).length;
    expect(lone).toBeGreaterThanOrEqual(4);
  });

  it("a 'cr-lf' split fault in 'sse' framing cuts between the two \\n that end an event", async () => {
    emu = await startEmulator({ seed: 5, rate: 20, timeScale: 100, framing: 'sse' });
    emu.inject({ type: 'split', mode: 'cr-lf', messages: 4 });
    const res = await rawRequest(emu.url, SAMPLE);
    const e = emu;
    await res.until(() => e.stats().postsSent >= 4);
    res.close();
    const cut = res.chunks.filter(
      (c, i) =>
        c.length > 1 && c.at(-1) === 0x0a && c.at(-2) !== 0x0a && res.chunks[i + 1]?.[0] === 0x0a,
    );
    expect(cut.length).toBeGreaterThanOrEqual(4);
    expect(res.chunks.filter((c) => c.length === 1 && c[0] === 0x0a).length).toBeGreaterThanOrEqual(
      4,
    );
  });

  it('refuses an unknown framing with a ConfigError', async () => {
    await expect(startEmulator({ framing: 'cr' as never })).rejects.toThrow(/framing/);
  });
});
