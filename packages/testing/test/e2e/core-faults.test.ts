import { isAuthenticationError, isUsageCapExceededError } from '@birdstream/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Emulator,
  type EmulatorOptions,
  randomFaultScript,
  type SplitMode,
  startEmulator,
} from '../../src/index.js';
import { expectExactlyOnce, runClient } from './harness.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  emu = await startEmulator({
    seed: 'e2e',
    rate: 10,
    timeScale: 100,
    rules: [{ value: 'coffee OR cat OR cats OR rain OR goal OR album', tag: 'e2e' }],
    ...options,
  });
  return emu;
}

/**
 * The failure classes of the first reconnects. (On a loaded machine a
 * late timer can add a stall-triggered reconnect later on; the exactly-once
 * checks cover those too.)
 */
const reasons = (run: Awaited<ReturnType<typeof runClient>>, count: number) =>
  run.events.flatMap((e) => (e.type === 'reconnecting' ? [e.failure] : [])).slice(0, count);

describe('core StreamClient against the emulator: every post exactly once, one connection at a time', () => {
  for (const mode of ['byte', 'utf8', 'crlf', 'cr-lf', 'random', 'coalesce'] as SplitMode[]) {
    it(`split ${mode}: chunks cut anywhere, nothing lost, no reconnect`, async () => {
      const e = await start();
      const run = await runClient(e, {
        faults: [{ type: 'split', mode, messages: mode === 'byte' ? 4 : 40 }],
        reconnects: false,
        settlePosts: 40,
      });
      expect(run.error).toBeUndefined();
      expectExactlyOnce(run);
      expect(run.stats.connectionsOpened).toBe(1);
      expect(run.events.filter((ev) => ev.type === 'payload-invalid')).toEqual([]);
      expect(run.delivered.length).toBeGreaterThanOrEqual(40);
    });
  }

  it('destroy (TCP reset mid-message): reconnects at once with backfill, duplicates dropped', async () => {
    const e = await start();
    const run = await runClient(e, { faults: [{ type: 'destroy', afterPosts: 12 }] });
    expect(run.error).toBeUndefined();
    expectExactlyOnce(run);
    expect(run.stats.connections.map((c) => c.backfillMinutes)).toEqual([0, 1]);
    expect(run.stats.duplicatesSent).toBeGreaterThan(0);
    // Every duplicate the client dropped was one the emulator replayed. (Fewer when fetch threw
    // away the last chunks before the reset: those posts then arrived only once, by backfill.)
    const dropped = run.events.filter((ev) => ev.type === 'duplicate').length;
    expect(dropped).toBeGreaterThan(0);
    expect(dropped).toBeLessThanOrEqual(run.stats.duplicatesSent);
    expect(reasons(run, 1)).toEqual(['network']);
  });

  it('close (clean end of the response)', async () => {
    const e = await start();
    const run = await runClient(e, { faults: [{ type: 'close', afterPosts: 12 }] });
    expect(run.error).toBeUndefined();
    expectExactlyOnce(run);
    expect(run.stats.connectionsOpened).toBe(2);
  });

  it('operational-disconnect (in-band message, then close)', async () => {
    const e = await start();
    const run = await runClient(e, {
      faults: [{ type: 'operational-disconnect', afterPosts: 12 }],
    });
    expect(run.error).toBeUndefined();
    expectExactlyOnce(run);
    expect(run.stats.connections.map((c) => c.closedBy).slice(0, 1)).toEqual([
      'operational-disconnect',
    ]);
  });

  it('stall (no byte, not even keep-alives): the watchdog reconnects and backfill covers the silence', async () => {
    const e = await start();
    // Core's default stall timeout: 30 s without a byte, while X sends a keep-alive every 20 s.
    const run = await runClient(e, {
      faults: [{ type: 'stall', ms: 600_000, afterPosts: 10 }],
      stallTimeoutMs: 30_000,
    });
    expect(run.error).toBeUndefined();
    expectExactlyOnce(run);
    expect(run.events.some((ev) => ev.type === 'stalled')).toBe(true);
    expect(run.stats.connections[0]?.closedBy).toBe('client');
    expect(run.stats.connections[1]?.backfillMinutes).toBe(1);
  });

  it('slow (a drip): bytes keep the watchdog quiet, every post arrives', async () => {
    const e = await start();
    const run = await runClient(e, {
      faults: [{ type: 'slow', ms: 20_000, bytesPerSecond: 4_000, afterPosts: 5 }],
      reconnects: false,
      settlePosts: 30,
    });
    expect(run.error).toBeUndefined();
    expectExactlyOnce(run);
    expect(run.stats.connectionsOpened).toBe(1);
  });

  it('429 TooManyConnections on the reconnect: waits, then backfills the longer outage', async () => {
    const e = await start();
    const run = await runClient(e, {
      faults: [{ type: 'destroy', afterPosts: 10 }],
      onReconnect: [{ type: 'too-many-connections' }],
    });
    expect(run.error).toBeUndefined();
    expectExactlyOnce(run);
    expect(reasons(run, 2)).toEqual(['network', 'too-many-connections']);
    // X's schedule: at least 60 s before trying again after a 429, so 2 minutes of backfill.
    expect(run.stats.connections.at(-1)?.backfillMinutes).toBeGreaterThanOrEqual(2);
  });

  it('429 rate limit with x-rate-limit-reset on the reconnect', async () => {
    const e = await start();
    const run = await runClient(e, {
      faults: [{ type: 'close', afterPosts: 10 }],
      onReconnect: [{ type: 'rate-limit', resetInMs: 90_000 }],
    });
    expect(run.error).toBeUndefined();
    expectExactlyOnce(run);
    expect(reasons(run, 2)).toEqual(['network', 'rate-limit']);
    const rejected = run.stats.rejected[0];
    const reopened = run.stats.connections.at(-1)?.openedAt ?? 0;
    // Not before the window reset (90 s after the 429).
    expect(reopened - (rejected?.at ?? 0)).toBeGreaterThanOrEqual(89_000);
  });

  it('5xx with an HTML body on the reconnect', async () => {
    const e = await start();
    const run = await runClient(e, {
      faults: [{ type: 'destroy', afterPosts: 10 }],
      onReconnect: [{ type: 'server-error', status: 503 }],
    });
    expect(run.error).toBeUndefined();
    expectExactlyOnce(run);
    expect(reasons(run, 2)).toEqual(['network', 'http']);
  });

  it('gzip forced on a client that asked for identity', async () => {
    const e = await start();
    const run = await runClient(e, {
      compression: false,
      faults: [{ type: 'close', afterPosts: 8 }],
      onReconnect: [{ type: 'gzip' }],
    });
    expect(run.error).toBeUndefined();
    expectExactlyOnce(run);
    expect(run.stats.connections.map((c) => c.gzip)).toEqual([false, true]);
  });

  it('gzip requested by the client (the default)', async () => {
    const e = await start();
    const run = await runClient(e, { faults: [{ type: 'destroy', afterPosts: 8 }] });
    expectExactlyOnce(run);
    expect(run.stats.connections.every((c) => c.gzip)).toBe(true);
  });

  it('401 on the reconnect: the loop ends with AuthenticationError, no retry', async () => {
    const e = await start();
    const run = await runClient(e, {
      faults: [{ type: 'close', afterPosts: 10 }],
      onReconnect: [{ type: 'unauthorized' }],
    });
    expect(isAuthenticationError(run.error)).toBe(true);
    expect(run.stats.connectionAttempts).toBe(2);
    // A clean end delivers everything before it; nothing can be backfilled after a fatal error.
    expect(run.delivered).toEqual(run.stats.connections[0]?.postIds);
    expect(JSON.stringify(run.error)).not.toContain('e2e-token');
    expect(String(run.error)).not.toContain('e2e-token');
  });

  it('usage cap on the reconnect: the loop ends with UsageCapExceededError, no retry', async () => {
    const e = await start();
    const run = await runClient(e, {
      faults: [{ type: 'close', afterPosts: 10 }],
      onReconnect: [{ type: 'usage-cap' }],
    });
    expect(isUsageCapExceededError(run.error)).toBe(true);
    expect(run.stats.connectionAttempts).toBe(2);
    expect(run.delivered).toEqual(run.stats.connections[0]?.postIds);
  });

  it('random faults: the sample stream survives a seeded storm', async () => {
    // Four random episodes pinned to the first 240 posts (a minute at 4 posts/s): the same
    // storm on any machine, and every fault of it strikes before the client settles.
    const faults = randomFaultScript({ seed: 'storm', episodes: 4, posts: 240 });
    const e = await start({ seed: 'storm', rate: 4, faults });
    const run = await runClient(e, { sample: true, minFaults: faults.length, settlePosts: 5 });
    expect(run.error).toBeUndefined();
    expect(run.stats.faults.map((f) => f.type).sort()).toEqual(faults.map((f) => f.type).sort());
    expectExactlyOnce(run);
  });
});
