import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, type EmulatorOptions, startEmulator } from '../src/index.js';
import { rawRequest, SAMPLE, STREAM } from './helpers/raw-stream.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  emu = await startEmulator({ seed: 11, rate: 10, timeScale: 100, ...options });
  return emu;
}

describe('framing', () => {
  it('ends every message with \\r\\n, one message per chunk, and never puts a raw \\n inside one', async () => {
    const e = await start();
    const res = await rawRequest(e.url, SAMPLE);
    await res.until(() => res.messages().length >= 40);
    res.close();
    for (const chunk of res.chunks) {
      const text = chunk.toString('utf8');
      expect(text.endsWith('\r\n')).toBe(true);
      expect(text.slice(0, -2)).not.toMatch(/[\r\n]/);
    }
    // Texts do contain line breaks: JSON carries them escaped.
    expect(res.messages().some((m) => m.data.text.includes('\n'))).toBe(true);
  });

  it('sends a keep-alive \\r\\n every 20 s of emulated time, and nothing else when no post matches', async () => {
    const e = await start({ rate: 0, timeScale: 400, rules: [{ value: 'cat' }] });
    const openedAt = e.clock.now();
    const res = await rawRequest(e.url, STREAM);
    await res.until(() => res.chunks.length >= 3);
    const elapsed = e.clock.now() - openedAt;
    res.close();
    // Only keep-alives (a busy machine may have let a fourth in before the close).
    expect(res.chunks.length).toBeGreaterThanOrEqual(3);
    expect(new Set(res.chunks.map((c) => c.toString()))).toEqual(new Set(['\r\n']));
    // Three keep-alives cannot arrive before 60 s of emulated time have passed.
    expect(elapsed).toBeGreaterThanOrEqual(60_000);
    await e.waitFor('disconnected');
    expect(e.stats().connections[0]?.keepAlives).toBe(res.chunks.length);
  });

  it('honours keepAliveMs', async () => {
    const e = await start({ rate: 0, keepAliveMs: 5_000, rules: [{ value: 'cat' }] });
    const openedAt = e.clock.now();
    const res = await rawRequest(e.url, STREAM);
    await res.until(() => res.chunks.length >= 4);
    expect(e.clock.now() - openedAt).toBeGreaterThanOrEqual(20_000);
    res.close();
  });

  it('escapes characters outside the BMP as X does, and keeps other non-ASCII raw', async () => {
    const e = await start();
    const res = await rawRequest(e.url, SAMPLE);
    await res.until(() => res.messages().length >= 150);
    res.close();
    const wire = Buffer.concat(res.chunks);
    // No 4-byte UTF-8 sequence (lead byte 0xF0-0xF4) on the wire...
    expect(wire.some((b) => b >= 0xf0)).toBe(false);
    // ...the emoji are there as surrogate escapes...
    expect(wire.toString('latin1')).toMatch(/\\uD8[0-3][0-9A-F]\\uD[C-F][0-9A-F]{2}/);
    // ...and they decode back to real emoji; CJK and accents travel raw.
    const texts = res
      .messages()
      .map((m) => m.data.text)
      .join(' ');
    expect(texts).toMatch(/\p{Extended_Pictographic}/u);
    expect(wire.toString('utf8')).toMatch(/[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]/);
    expect(wire.toString('utf8')).toMatch(/[éíóúñçüöäÉ]/);
  });

  it('sends 4-byte UTF-8 raw with escapeNonBmp: false', async () => {
    const e = await start({ escapeNonBmp: false });
    const res = await rawRequest(e.url, SAMPLE);
    await res.until(() => Buffer.concat(res.chunks).some((b) => b >= 0xf0));
    res.close();
    expect(Buffer.concat(res.chunks).toString('latin1')).not.toMatch(/\\uD8[0-3][0-9A-F]/);
  });
});
