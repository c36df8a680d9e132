import { ConfigError } from '@birdstream/core';
import { afterEach, describe, expect, it } from 'vitest';
import { FAULT_TYPES } from '../src/faults/fault-table.js';
import {
  type Emulator,
  type EmulatorOptions,
  randomFaultScript,
  startEmulator,
} from '../src/index.js';
import { untilClosed } from './e2e/harness.js';
import { sequenceOf, untilEmulated } from './helpers/emulated-time.js';
import { rawRequest, SAMPLE } from './helpers/raw-stream.js';

const START = Date.UTC(2026, 5, 1);
const opened: Emulator[] = [];
afterEach(async () => {
  for (const e of opened.splice(0)) await e.close();
});

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  const e = await startEmulator({
    seed: 21,
    rate: 20,
    timeScale: 100,
    startTime: START,
    ...options,
  });
  opened.push(e);
  return e;
}

describe('faults pinned to posts (atPost)', () => {
  it('strike the connection that reaches the post, right after it', async () => {
    const e = await start({ timeScale: 10, faults: [{ type: 'close', atPost: 30 }] });
    // The backfill replays from item 0 (if the connection comes within 30 real seconds), so
    // the connection reaches item 30 however late it came.
    const res = await rawRequest(e.url, `${SAMPLE}?backfill_minutes=5`);
    expect(await res.closed()).toBe('end');
    expect(res.postIds().map(sequenceOf)).toEqual(Array.from({ length: 31 }, (_, i) => i));
    expect(e.stats().faults).toEqual([
      expect.objectContaining({ type: 'close', connectionId: 1, atPost: 30 }),
    ]);
    expect(e.stats().connections[0]?.closedBy).toBe('close');
  });

  it('a post passed while no connection was open strikes in the next backfill replay', async () => {
    // Real time until the first connection is closed: item 400 is 20 s of it away.
    const e = await start({ timeScale: 1, faults: [{ type: 'destroy', atPost: 400 }] });
    const first = await rawRequest(e.url, SAMPLE);
    await first.until(() => first.postIds().length >= 1);
    first.close();
    await untilClosed(e);
    // Then fast, past item 400 (20 emulated seconds in), while nobody listens.
    e.setTimeScale(1_000);
    await untilEmulated(e, START + 25_000);
    // Then ×10, and a 5-minute backfill: it reaches back to item 0 if the connection comes
    // within 30 real seconds, however busy the machine.
    e.setTimeScale(10);
    expect(e.stats().faults).toEqual([]);
    const second = await rawRequest(e.url, `${SAMPLE}?backfill_minutes=5`);
    expect(await second.closed()).not.toBe('open');
    const again = e.stats().connections[1];
    expect(again?.closedBy).toBe('destroy');
    // The replay went from item 0 up to the pinned item, then the connection was reset.
    expect(again?.postIds.map(sequenceOf)).toEqual(Array.from({ length: 401 }, (_, i) => i));
    expect(again?.backfilledIds).toEqual(again?.postIds);
    expect(e.stats().faults).toEqual([expect.objectContaining({ type: 'destroy', atPost: 400 })]);
  });

  it('a connection fault pinned beside a stream fault answers the reconnect', async () => {
    const e = await start({
      faults: [
        { type: 'server-error', status: 503, atPost: 10 },
        { type: 'destroy', atPost: 10 },
      ],
    });
    const res = await rawRequest(e.url, `${SAMPLE}?backfill_minutes=5`);
    expect(await res.closed()).not.toBe('open');
    expect(e.stats().connections[0]?.closedBy).toBe('destroy');
    const retry = await rawRequest(e.url, SAMPLE);
    expect(retry.status).toBe(503);
    const third = await rawRequest(e.url, SAMPLE);
    expect(third.status).toBe(200);
    third.close();
    expect(e.stats().faults.map((f) => f.type)).toEqual(['destroy', 'server-error']);
  });

  it('rejects `at` with `atPost`, and an `atPost` that is not a whole number', async () => {
    await expect(start({ faults: [{ type: 'close', at: 5, atPost: 5 }] })).rejects.toThrow(
      /give `at` \(emulated ms\) or `atPost`/,
    );
    await expect(start({ faults: [{ type: 'close', atPost: 2.5 }] })).rejects.toThrow(ConfigError);
    await expect(start({ faults: [{ type: 'close', atPost: -1 }] })).rejects.toThrow(
      /`atPost` must be a finite number >= 0/,
    );
  });
});

describe('randomFaultScript', () => {
  it('draws the same script from the same seed, one episode in each share of the posts', () => {
    const script = randomFaultScript({ seed: 'soak', episodes: 12, posts: 6_000 });
    expect(randomFaultScript({ seed: 'soak', episodes: 12, posts: 6_000 })).toEqual(script);
    expect(randomFaultScript({ seed: 'other', episodes: 12, posts: 6_000 })).not.toEqual(script);
    const episodes = [...new Set(script.map((f) => f.atPost))];
    expect(episodes).toHaveLength(12);
    episodes.forEach((atPost, i) => {
      expect(atPost).toBeGreaterThanOrEqual(i * 500);
      expect(atPost).toBeLessThan((i + 1) * 500);
    });
    for (const fault of script) {
      expect(FAULT_TYPES).toContain(fault.type);
      // Only faults a correct client recovers from on its own.
      expect(['unauthorized', 'usage-cap', 'phantom', 'outage']).not.toContain(fault.type);
    }
  });

  it('rejects counts that are not whole numbers, or more episodes than posts', () => {
    expect(() => randomFaultScript({ seed: 1, episodes: 1.5, posts: 10 })).toThrow(ConfigError);
    expect(() => randomFaultScript({ seed: 1, episodes: 10, posts: 5 })).toThrow(
      /`posts` must be a whole number, at least `episodes`/,
    );
  });
});

/**
 * Drives the sample stream with a bare client that reconnects at once (replaying the
 * backfill, so every item is reached) until `count` faults struck: each fault's type, with
 * the item its connection had reached when it struck.
 */
async function strikes(timeScale: number, count: number): Promise<string[]> {
  const e = await start({ seed: 'pinned', timeScale, faults: 'random', faultIntervalPosts: 25 });
  const seen = () => e.stats().faults;
  for (let attempt = 0; seen().length < count && attempt < 60; attempt++) {
    const res = await rawRequest(e.url, `${SAMPLE}?backfill_minutes=5`);
    if (res.status !== 200) continue;
    const before = seen().length;
    // A fault struck on this connection: it ended, or (split, stall, slow) it goes on; move on.
    await res.until(() => seen().length > before || res.ended !== 'open', 10_000).catch(() => {});
    res.close();
  }
  // A connection fault answers an attempt: no item goes with it.
  return seen()
    .slice(0, count)
    .map((f) => (f.atPost === undefined ? f.type : `${f.type}@${f.atPost}`));
}

describe("faults: 'random' with faultIntervalPosts", () => {
  it('strikes the same faults at the same posts whatever the speed', async () => {
    const slow = await strikes(20, 8);
    const fast = await strikes(400, 8);
    expect(slow).toHaveLength(8);
    expect(fast).toEqual(slow);
    // Spread over the timeline, not all at the first posts.
    const posts = slow.filter((s) => s.includes('@')).map((s) => Number(s.split('@')[1]));
    expect(new Set(posts).size).toBeGreaterThan(1);
  });
});
