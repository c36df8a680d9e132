import { expect, it } from 'vitest';
import { closeAfterEach, describeEachRuntime } from './support/each-runtime.js';
import {
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
    'an rx pipeline (retryStream with backfill, dedupeById, resolveIncludes) through a reset: every post once, with its author',
    async () => {
      const e = track(await startRealTimeEmulator(`rx-${runtime.name}`), (x) => x.close());
      e.inject({ type: 'destroy', afterPosts: 10 });
      const s = track(
        runScript(runtime, 'rx-pipeline.mjs', { baseUrl: e.url, token: TOKEN }),
        (x) => x.kill(),
      );
      await s.waitFor(recovered(e, s, 1), 'recovery after the reset and 15 more posts');
      s.stop();
      await s.waitFor((m) => m.type === 'done', 'done');
      expect(await s.exited).toBe(0);
      expect(s.messages.filter((m) => m.type === 'error')).toEqual([]);
      expectEveryPostOnce(e, postIds(s));
      expect(
        e
          .stats()
          .connections.slice(1)
          .every((c) => c.backfillMinutes >= 1),
      ).toBe(true);
      expect(e.stats().duplicatesSent).toBeGreaterThan(0);
      const posts = s.messages.filter((m) => m.type === 'post');
      expect(posts.every((m) => typeof m.author === 'string' && m.author !== '')).toBe(true);
    },
    SCRIPT_DEADLINE_MS * 2,
  );
});
