import { isConfigError } from '@birdstream/core';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../src/index.js';
import { api, RULES, rawRequest, SAMPLE, STREAM } from './helpers/raw-stream.js';

function handles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) {
    if (
      type === 'TCPServerWrap' ||
      type === 'TCPSocketWrap' ||
      type === 'Timeout' ||
      type === 'Immediate'
    )
      counts[type] = (counts[type] ?? 0) + 1;
  }
  return counts;
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

describe('close()', () => {
  it('ends open streams, frees the port and leaves no handle behind', async () => {
    await settle();
    const before = handles();
    const emu = await startEmulator({
      seed: 1,
      rate: 10,
      timeScale: 100,
      faults: 'random',
      faultIntervalMs: 3_600_000,
      rules: [{ value: 'cat' }],
    });
    const filtered = await rawRequest(emu.url, STREAM);
    const sample = await rawRequest(emu.url, `${SAMPLE}?backfill_minutes=1`);
    emu.inject({ type: 'slow', ms: 60_000 });
    await sample.until(() => sample.chunks.length > 0);
    await emu.close();
    expect(await filtered.closed()).not.toBe('open');
    expect(await sample.closed()).not.toBe('open');
    expect(emu.stats().openConnections).toBe(0);
    expect(emu.stats().connections.map((c) => c.closedBy)).toEqual(['shutdown', 'shutdown']);
    await expect(fetch(`${emu.url}${RULES}`)).rejects.toThrow();
    await settle();
    // No more sockets, servers, timers or immediates than before it started.
    const after = handles();
    for (const [type, count] of Object.entries(after))
      expect(count, type).toBeLessThanOrEqual(before[type] ?? 0);
    // Closing twice is fine.
    await emu.close();
  });
});

describe('options', () => {
  it('rejects bad options with a ConfigError that says what to fix', async () => {
    const bad = [
      { rate: -1 },
      { timeScale: 0 },
      { port: 70_000 },
      { bearerToken: '' },
      { faults: 'sometimes' },
      { faults: [{ type: 'explode' }] },
      { faults: [{ type: 'stall' }] },
      { rules: [{ value: 'has:media' }] },
      { gzip: 'maybe' },
    ];
    for (const options of bad) {
      const error = await startEmulator(options as never).then(
        (emu) => emu.close().then(() => undefined),
        (e: unknown) => e,
      );
      expect(isConfigError(error), JSON.stringify(options)).toBe(true);
      expect((error as Error).message.length).toBeGreaterThan(10);
    }
  });

  it('rejects a malformed injected fault', async () => {
    const emu = await startEmulator();
    try {
      expect(() => emu.inject({ type: 'slow', ms: 10, bytesPerSecond: 0 })).toThrow(
        /bytesPerSecond/,
      );
      expect(() => emu.inject({ type: 'split', mode: 'sideways' } as never)).toThrow(/mode/);
    } finally {
      await emu.close();
    }
  });

  it('listens on the given port', async () => {
    const first = await startEmulator();
    const port = first.port;
    await first.close();
    const emu = await startEmulator({ port });
    try {
      expect(emu.url).toBe(`http://127.0.0.1:${port}`);
      expect((await api(emu.url, RULES)).status).toBe(200);
    } finally {
      await emu.close();
    }
  });
});

describe('the bearer token', () => {
  it('never shows up in responses, stats or events', async () => {
    const token = 'super-secret-token-123';
    const emu = await startEmulator({
      bearerToken: token,
      rate: 10,
      timeScale: 100,
      rules: [{ value: 'cat' }],
    });
    const events: unknown[] = [];
    for (const type of ['request', 'connected', 'rejected', 'disconnected', 'fault'] as const)
      emu.on(type, (e) => events.push(e));
    try {
      const texts = [
        (await api(emu.url, RULES, { token })).text,
        (await api(emu.url, RULES, { token: `${token}x` })).text,
        (await api(emu.url, RULES, { method: 'POST', token, body: { add: [{ value: token }] } }))
          .text,
      ];
      const res = await rawRequest(emu.url, STREAM, {
        headers: { authorization: `Bearer ${token}` },
      });
      await res.until(() => res.messages().length >= 1);
      texts.push(res.text(), JSON.stringify(res.headers));
      res.close();
      // The rule value is the one place it may appear: the caller put it there.
      expect(texts.filter((t) => t.includes(token))).toHaveLength(1);
      expect(JSON.stringify(emu.stats())).not.toContain(token);
      expect(JSON.stringify(events)).not.toContain(token);
    } finally {
      await emu.close();
    }
  });
});
