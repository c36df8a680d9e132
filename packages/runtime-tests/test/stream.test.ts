import { expect, it } from 'vitest';
import { closeAfterEach, describeEachRuntime } from './support/each-runtime.js';
import {
  eventsOf,
  expectEveryPostOnce,
  postIds,
  recovered,
  startRealTimeEmulator,
  TOKEN,
} from './support/emulator.js';
import { runScript, SCRIPT_DEADLINE_MS } from './support/run-script.js';

const track = closeAfterEach();

describeEachRuntime((runtime) => {
  it(
    'a filtered stream through a reset, a stall and backfill, gzip-encoded: every post once, on the fetch transport',
    async () => {
      const e = track(await startRealTimeEmulator(`stream-${runtime.name}`), (x) => x.close());
      // A TCP reset mid-message on the first connection; a stall (no byte at all) on the second.
      e.inject({ type: 'destroy', afterPosts: 10 });
      const off = e.on('disconnected', () => {
        off();
        e.inject({ type: 'stall', ms: 600_000, afterPosts: 10 });
      });
      const s = track(
        runScript(runtime, 'filtered-stream.mjs', {
          baseUrl: e.url,
          token: TOKEN,
          // Real milliseconds: long enough that a busy machine does not stall a healthy stream
          // often (an extra stall would only add a reconnect, which the checks allow).
          stallTimeoutMs: 4_000,
        }),
        (x) => x.kill(),
      );
      await s.waitFor(recovered(e, s, 2), 'recovery after both faults and 15 more posts');
      s.stop();
      await s.waitFor((m) => m.type === 'done', 'done');
      expect(await s.exited).toBe(0);

      expect(s.messages.find((m) => m.type === 'runtime')?.runtime).toBe(
        `${runtime.name} ${runtime.version}`,
      );
      // The Node transport is refused there: the stream ran on fetch.
      expect(s.messages.find((m) => m.type === 'node-transport')).toMatchObject({ refused: true });
      expect(s.messages.filter((m) => m.type === 'error')).toEqual([]);
      expectEveryPostOnce(e, postIds(s));

      const stats = e.stats();
      expect(stats.connections.length).toBeGreaterThanOrEqual(3);
      // Core asked for gzip and every body came gzip-encoded.
      expect(stats.connections.every((c) => c.gzip)).toBe(true);
      // Each reconnect asked for the missed minute, and the replay's duplicates were dropped.
      expect(stats.connections.slice(1).every((c) => c.backfillMinutes >= 1)).toBe(true);
      expect(stats.duplicatesSent).toBeGreaterThan(0);
      const events = eventsOf(s);
      expect(events.filter((ev) => ev.type === 'duplicate').length).toBeGreaterThan(0);
      expect(events.some((ev) => ev.type === 'stalled')).toBe(true);
      expect(events.find((ev) => ev.type === 'reconnecting')?.failure).toBe('network');
      expect(s.stdout() + s.stderr()).not.toContain(TOKEN);
    },
    SCRIPT_DEADLINE_MS * 2,
  );
});
