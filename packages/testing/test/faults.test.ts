import { snowflakeTime } from '@birdstream/core';
import { readFixtureJson, readFixtureText } from '@birdstream/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, type EmulatorOptions, type Fault, startEmulator } from '../src/index.js';
import { untilEmulated } from './helpers/emulated-time.js';
import { rawRequest, SAMPLE, STREAM } from './helpers/raw-stream.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  emu = await startEmulator({ seed: 13, rate: 10, timeScale: 100, ...options });
  return emu;
}

/** Injects `fault` for the next connection, then opens the sample stream (every post). */
async function sampleWith(fault: Fault, options: EmulatorOptions = {}) {
  const e = await start(options);
  e.inject(fault);
  const res = await rawRequest(e.url, SAMPLE);
  expect(res.status).toBe(200);
  return { e, res };
}

function isIncompleteUtf8(chunk: Buffer): boolean {
  // The chunk's last character is cut: a lead byte without all its continuation bytes.
  for (let back = 1; back <= Math.min(3, chunk.length); back++) {
    const b = chunk[chunk.length - back] as number;
    if ((b & 0xc0) === 0x80) continue;
    const size = (b & 0xf8) === 0xf0 ? 4 : (b & 0xf0) === 0xe0 ? 3 : (b & 0xe0) === 0xc0 ? 2 : 1;
    return size > back;
  }
  return false;
}

describe('chunk boundaries (split faults)', () => {
  it('byte: every byte of the next messages is its own HTTP chunk', async () => {
    const { res } = await sampleWith({ type: 'split', mode: 'byte', messages: 2 });
    await res.until(() => res.messages().length >= 4);
    res.close();
    const ones = res.chunks.filter((c) => c.length === 1).length;
    expect(ones).toBeGreaterThan(200);
    expect(res.messages().length).toBeGreaterThanOrEqual(4);
  });

  it('utf8: the boundary falls inside a multi-byte character, and the messages survive', async () => {
    const { res } = await sampleWith({ type: 'split', mode: 'utf8', messages: 40 });
    await res.until(() => res.messages().length >= 40);
    res.close();
    expect(res.chunks.filter(isIncompleteUtf8).length).toBeGreaterThan(5);
    expect(res.messages().every((m) => typeof m.data.id === 'string')).toBe(true);
  });

  it('crlf: the \\r\\n after a message arrives alone (it is not a keep-alive)', async () => {
    const { res } = await sampleWith({ type: 'split', mode: 'crlf', messages: 5 });
    await res.until(() => res.messages().length >= 6);
    res.close();
    const lone = res.chunks.findIndex(
      (c, i) => c.toString() === '\r\n' && res.chunks[i - 1]?.toString().endsWith('}'),
    );
    expect(lone).toBeGreaterThan(0);
  });

  it('cr-lf: the \\r and the \\n of a terminator arrive in different chunks', async () => {
    const { res } = await sampleWith({ type: 'split', mode: 'cr-lf', messages: 5 });
    await res.until(() => res.messages().length >= 6);
    res.close();
    const split = res.chunks.findIndex(
      (c, i) => c.toString().endsWith('}\r') && res.chunks[i + 1]?.toString() === '\n',
    );
    expect(split).toBeGreaterThanOrEqual(0);
  });

  it('random: chunks ignore message boundaries', async () => {
    const { res } = await sampleWith({ type: 'split', mode: 'random', messages: 20 });
    await res.until(() => res.messages().length >= 20);
    res.close();
    // A chunk that ends a message and starts the next one.
    expect(res.chunks.some((c) => /\r\n./s.test(c.toString('latin1')))).toBe(true);
    expect(res.chunks.filter((c) => !c.toString('latin1').endsWith('\r\n')).length).toBeGreaterThan(
      5,
    );
  });

  it('coalesce: several messages share one chunk', async () => {
    const { res } = await sampleWith({ type: 'split', mode: 'coalesce', messages: 30 });
    await res.until(() => res.messages().length >= 30);
    res.close();
    expect(res.chunks.some((c) => c.toString().split('\r\n').length >= 3)).toBe(true);
  });
});

describe('faults inside the stream', () => {
  it('stall: the connection stays open and sends nothing, not even keep-alives, then resumes', async () => {
    const e = await start({ rate: 2, timeScale: 200 });
    const res = await rawRequest(e.url, SAMPLE);
    await res.until(() => res.postIds().length >= 2);
    e.inject({ type: 'stall', ms: 60_000 });
    const stalledAt = e.clock.now();
    const before = res.chunks.length;
    await res.until(() => res.chunks.length > before);
    const resumedAt = e.clock.now();
    // 60 s of silence: three keep-alive slots skipped.
    expect(resumedAt - stalledAt).toBeGreaterThanOrEqual(55_000);
    expect(res.ended).toBe('open');
    // The posts created meanwhile come after the stall.
    await res.until(() => res.postIds().length >= 2 + 100);
    res.close();
    expect(e.stats().faults.map((f) => f.type)).toEqual(['stall']);
  });

  it('destroy: half a message, then a TCP reset', async () => {
    const { e, res } = await sampleWith({ type: 'destroy', afterPosts: 3 });
    expect(await res.closed()).toBe('reset');
    const text = Buffer.concat(res.chunks).toString('utf8');
    expect(text.endsWith('\r\n')).toBe(false);
    expect(res.postIds()).toEqual(e.stats().connections[0]?.postIds);
    expect(res.postIds()).toHaveLength(3);
    expect(e.stats().connections[0]?.closedBy).toBe('destroy');
  });

  it('close: a clean end of the response after complete messages', async () => {
    const { e, res } = await sampleWith({ type: 'close', afterPosts: 4 });
    expect(await res.closed()).toBe('end');
    expect(Buffer.concat(res.chunks).toString().endsWith('\r\n')).toBe(true);
    expect(res.postIds()).toHaveLength(4);
    expect(e.stats().connections[0]?.closedBy).toBe('close');
  });

  it("operational-disconnect: X's exact in-band message, then a clean end", async () => {
    const { res } = await sampleWith({ type: 'operational-disconnect', afterPosts: 2 });
    expect(await res.closed()).toBe('end');
    const recorded = readFixtureJson<Record<string, unknown>>(
      'stream/twarc-csv/msg_04_operational_disconnect_error.json',
    );
    delete recorded.__twarc;
    const last = res.lines().at(-1) as string;
    expect(JSON.parse(last)).toEqual(recorded);
    expect(last).toBe(JSON.stringify(recorded));
    expect(res.postIds()).toHaveLength(2);
  });

  it('slow: bytes drip in small chunks, then the stream catches up', async () => {
    // ×10 while it drips: the 60 slow seconds last 6 real ones, time enough on a busy machine
    // for the 10 chunks looked at (at ×100 a 600 ms hiccup ended the slow link before them).
    const { e, res } = await sampleWith(
      { type: 'slow', ms: 60_000, bytesPerSecond: 1_000 },
      { timeScale: 10 },
    );
    await res.until(() => res.chunks.length >= 10);
    // 1000 B/s in 100 ms steps: at most 100 bytes per chunk while slow.
    for (const chunk of res.chunks.slice(0, 10)) expect(chunk.length).toBeLessThanOrEqual(100);
    e.setTimeScale(1_000);
    await untilEmulated(e, (e.stats().connections[0]?.openedAt ?? 0) + 60_000);
    await res.until(() => res.chunks.some((c) => c.length > 100));
    res.close();
  });

  it.each(['close', 'operational-disconnect'] as const)(
    '%s on a slow link: the message in flight is completed (and the in-band message sent whole) before the clean end',
    async (type) => {
      const e = await start();
      e.inject({ type: 'slow', ms: 600_000, bytesPerSecond: 100 });
      // 10 posts come due in the first emulated second, while 10 bytes drip every 100 ms.
      e.inject({ type, afterPosts: 10 });
      const res = await rawRequest(e.url, SAMPLE);
      expect(await res.closed()).toBe('end');
      // No cut message for a client to report as invalid: every line is whole.
      expect(Buffer.concat(res.chunks).toString().endsWith('\r\n')).toBe(true);
      for (const line of res.lines()) expect(() => JSON.parse(line)).not.toThrow();
      expect(res.postIds().length).toBeGreaterThanOrEqual(1);
      expect(res.postIds()).toEqual(e.stats().connections[0]?.postIds);
      if (type === 'operational-disconnect') {
        expect(JSON.parse(res.lines().at(-1) as string)).toMatchObject({
          errors: [{ title: 'operational-disconnect' }],
        });
      }
    },
  );

  it('applies a fault injected with no connection open to the next connection', async () => {
    const e = await start();
    e.inject({ type: 'close', afterPosts: 1 });
    const res = await rawRequest(e.url, SAMPLE);
    expect(await res.closed()).toBe('end');
    expect(res.postIds()).toHaveLength(1);
  });

  it('only hits the stream named by endpoint', async () => {
    const e = await start({ rules: [{ value: 'coffee OR cat OR rain OR goal' }] });
    const filtered = await rawRequest(e.url, STREAM);
    const sample = await rawRequest(e.url, SAMPLE);
    e.inject({ type: 'close', endpoint: 'sample' });
    expect(await sample.closed()).toBe('end');
    expect(filtered.ended).toBe('open');
    filtered.close();
  });
});

describe('faults on connection attempts', () => {
  it('too-many-connections: 429 with X body while the window still has room', async () => {
    const e = await start();
    e.inject({ type: 'too-many-connections', count: 2 });
    for (let i = 0; i < 2; i++) {
      const again = await rawRequest(e.url, SAMPLE);
      await again.closed();
      expect(again.status).toBe(429);
      expect(again.text()).toBe(
        readFixtureText('errors/stream_connect_429_too_many_connections_2022.json'),
      );
      expect(Number(again.headers['x-rate-limit-remaining'])).toBeGreaterThan(40);
    }
    const third = await rawRequest(e.url, SAMPLE);
    expect(third.status).toBe(200);
    third.close();
    expect(e.stats().rejected.map((r) => [r.reason, r.injected])).toEqual([
      ['too-many-connections', true],
      ['too-many-connections', true],
    ]);
  });

  it('rate-limit: 429 with remaining 0 and x-rate-limit-reset when the window resets', async () => {
    const e = await start();
    e.inject({ type: 'rate-limit', resetInMs: 120_000 });
    const sentAt = e.clock.now();
    const res = await rawRequest(e.url, SAMPLE);
    await res.closed();
    expect(res.status).toBe(429);
    expect(res.headers['x-rate-limit-remaining']).toBe('0');
    // 120 s after the emulated moment it answered, in whole seconds: between the request being
    // sent and the answer being recorded (not the clock now: how much emulated time passes
    // around a request depends on how fast the machine runs).
    const resetMs = Number(res.headers['x-rate-limit-reset']) * 1000;
    const answeredAt = e.stats().rejected[0]?.at ?? Number.NaN;
    expect(resetMs).toBeGreaterThanOrEqual(sentAt + 120_000);
    expect(resetMs).toBeLessThan(answeredAt + 121_000);
    expect(JSON.parse(res.text())).toEqual(
      readFixtureJson('errors/rest_429_too_many_requests_json_2021.json'),
    );
  });

  it('usage-cap: 429 UsageCapExceeded shaped like the 2026 recording', async () => {
    const e = await start();
    e.inject({ type: 'usage-cap' });
    const res = await rawRequest(e.url, SAMPLE);
    await res.closed();
    expect(res.status).toBe(429);
    const { account_id: _recorded, ...recorded } = readFixtureJson<Record<string, unknown>>(
      'errors/usage_capped_429_monthly_product_cap_2026.json',
    );
    const { account_id, ...body } = JSON.parse(res.text());
    expect(body).toEqual(recorded);
    expect(account_id).toEqual(expect.any(Number));
  });

  it('server-error: a 5xx with an HTML body', async () => {
    const e = await start();
    e.inject({ type: 'server-error', status: 502 });
    const res = await rawRequest(e.url, SAMPLE);
    await res.closed();
    expect(res.status).toBe(502);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text()).toMatch(/^<!DOCTYPE html>/);
  });

  it('outage: every attempt for `ms` of emulated time gets the 5xx, whatever the back-off; then the stream is back', async () => {
    // 20 emulated minutes are 1.2 real seconds: room for three attempts on a loaded machine.
    const e = await start({ timeScale: 1_000 });
    const injectedAt = e.clock.now();
    e.inject({ type: 'outage', ms: 1_200_000, status: 503 });
    const answers: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await rawRequest(e.url, SAMPLE);
      await res.closed();
      answers.push(res.status);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    }
    // Not a count: three attempts in a row, all refused.
    expect(answers).toEqual([503, 503, 503]);
    await untilEmulated(e, injectedAt + 1_200_000);
    const back = await rawRequest(e.url, SAMPLE);
    expect(back.status).toBe(200);
    await back.until(() => back.messages().length >= 1);
    back.close();
    const stats = e.stats();
    expect(stats.rejected.map((r) => [r.status, r.reason, r.injected])).toEqual(
      Array(3).fill([503, 'server-error', true]),
    );
    expect(stats.rejected.every((r) => r.at < injectedAt + 1_200_000)).toBe(true);
    expect(stats.faults.map((f) => f.type)).toEqual(['outage', 'outage', 'outage']);
  });

  it('outage: a bad duration or status is a ConfigError naming the field', async () => {
    const e = await start();
    expect(() => e.inject({ type: 'outage' } as never)).toThrow(/`ms`/);
    expect(() => e.inject({ type: 'outage', ms: -1 })).toThrow(/`ms`/);
    expect(() => e.inject({ type: 'outage', ms: 1_000, status: 404 } as never)).toThrow(
      /`status` must be 500, 502, 503 or 504/,
    );
  });

  it('latency: the attempt reaches the stream `ms` late, and its backfill counts back from then', async () => {
    // 90 emulated seconds on the way are 0.9 real seconds.
    const e = await start({ timeScale: 100 });
    const sentAt = e.clock.now();
    e.inject({ type: 'latency', ms: 90_000 });
    const res = await rawRequest(e.url, `${SAMPLE}?backfill_minutes=1`);
    expect(res.status).toBe(200);
    await res.until(() => res.messages().length >= 5);
    res.close();
    const [late] = e.stats().connections;
    expect(late?.openedAt).toBeGreaterThanOrEqual(sentAt + 90_000);
    // X counted the minute back from the arrival: nothing created in the first 30 s after the
    // request was sent is replayed.
    const replayed = (late?.backfilledIds ?? []).map((id) => snowflakeTime(id) as number);
    expect(replayed.length).toBeGreaterThan(100);
    expect(Math.min(...replayed)).toBeGreaterThanOrEqual((late?.openedAt as number) - 60_000);
    expect(Math.min(...replayed)).toBeGreaterThanOrEqual(sentAt + 30_000);
    // One attempt (`count` 1): the next is not held.
    await e.waitFor('disconnected');
    const next = await rawRequest(e.url, SAMPLE);
    expect(next.status).toBe(200);
    next.close();
    expect(e.stats().faults.map((f) => f.type)).toEqual(['latency']);
  });

  it('latency: a bad duration is a ConfigError naming the field', async () => {
    const e = await start();
    expect(() => e.inject({ type: 'latency' } as never)).toThrow(/`ms`/);
    expect(() => e.inject({ type: 'latency', ms: Number.NaN })).toThrow(/`ms`/);
  });

  it('unauthorized: 401 with X body', async () => {
    const e = await start();
    e.inject({ type: 'unauthorized' });
    const res = await rawRequest(e.url, SAMPLE);
    await res.closed();
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text())).toEqual(
      readFixtureJson('errors/rules_get_401_unauthorized.json'),
    );
  });

  it('gzip: compresses when the client asks, or when forced', async () => {
    const e = await start();
    const asked = await rawRequest(e.url, SAMPLE, { headers: { 'accept-encoding': 'gzip' } });
    expect(asked.headers['content-encoding']).toBe('gzip');
    await asked.until(() => asked.messages().length >= 3);
    asked.close();
    await e.waitFor('disconnected');

    const plain = await rawRequest(e.url, SAMPLE);
    expect(plain.headers['content-encoding']).toBeUndefined();
    plain.close();
    await e.waitFor('disconnected');

    e.inject({ type: 'gzip' });
    const forced = await rawRequest(e.url, SAMPLE);
    expect(forced.headers['content-encoding']).toBe('gzip');
    // Real gzip on the wire: the first bytes are the gzip magic number.
    await forced.until(() => forced.messages().length >= 3);
    expect([...Buffer.concat(forced.chunks).subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    forced.close();
    expect(e.stats().connections.map((c) => c.gzip)).toEqual([true, false, true]);
  });
});

describe('fault scripts and random faults', () => {
  it('runs a script at emulated times', async () => {
    const startTime = Date.UTC(2026, 4, 1);
    const e = await start({
      timeScale: 200,
      startTime,
      faults: [
        { at: 0, type: 'split', mode: 'crlf' },
        // Three posts after 5 s: on the open connection, or (on a machine slow to connect) on
        // the next one, whose backfill replay sends them at once.
        { at: 5_000, type: 'close', afterPosts: 3 },
      ],
    });
    const res = await rawRequest(e.url, `${SAMPLE}?backfill_minutes=1`);
    expect(await res.closed()).toBe('end');
    expect(e.stats().faults.map((f) => f.type)).toEqual(['split', 'close']);
    // The close comes 5 emulated seconds after the emulator started, not earlier.
    expect(e.stats().connections[0]?.closedAt).toBeGreaterThanOrEqual(startTime + 5_000);
    expect(res.chunks.some((c) => c.toString() === '\r\n')).toBe(true);
  });

  it('random faults are retryable ones, drawn from the seed', async () => {
    // Pinned to posts (every 20 on average), so the same faults strike however fast this runs.
    const e = await start({ seed: 99, timeScale: 500, faults: 'random', faultIntervalPosts: 20 });
    for (let i = 0; i < 40 && e.stats().faults.length < 8; i++) {
      const res = await rawRequest(e.url, `${SAMPLE}?backfill_minutes=5`);
      const before = e.stats().faults.length;
      if (res.status === 200)
        await res.until(() => e.stats().faults.length > before).catch(() => {});
      res.close();
    }
    const kinds = new Set(e.stats().faults.map((f) => f.type));
    expect(e.stats().faults.length).toBeGreaterThanOrEqual(8);
    expect(kinds.size).toBeGreaterThan(1);
    for (const kind of kinds)
      expect(['unauthorized', 'usage-cap', 'phantom', 'outage']).not.toContain(kind);
  });
});
