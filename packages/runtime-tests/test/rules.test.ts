import { expect, it } from 'vitest';
import { closeAfterEach, describeEachRuntime } from './support/each-runtime.js';
import { startRealTimeEmulator, TOKEN } from './support/emulator.js';
import { runScript, SCRIPT_DEADLINE_MS } from './support/run-script.js';

const track = closeAfterEach();

describeEachRuntime((runtime) => {
  it(
    'rules: a dry run stores nothing and reports the invalid rule, add stores, list reads back',
    async () => {
      const emu = track(await startRealTimeEmulator(`rules-${runtime.name}`), (x) => x.close());
      const before = emu.rules().map((r) => r.value);
      const script = track(
        runScript(runtime, 'rules.mjs', { baseUrl: emu.url, token: TOKEN }),
        (x) => x.kill(),
      );
      await script.waitFor((m) => m.type === 'done', 'done');
      expect(await script.exited).toBe(0);
      const by = (type: string, when?: string): unknown =>
        script.messages.find((m) => m.type === type && (when === undefined || m.when === when));
      expect(script.messages.filter((m) => m.type === 'error')).toEqual([]);

      const value = 'birdstream (bun OR deno) -is:retweet';
      expect(by('dry-run')).toMatchObject({
        dryRun: true,
        ok: false,
        results: [
          { status: 'created', value },
          { status: 'invalid', value: 'has:media' },
        ],
      });
      const values = (m: unknown) =>
        (m as { rules: { value: string }[] }).rules.map((r) => r.value);
      expect(values(by('list', 'after dry run'))).toEqual(before);

      const added = by('add') as { ok: boolean; results: { status: string; id: string }[] };
      expect(added.ok).toBe(true);
      expect(added.results[0]?.status).toBe('created');
      // The id the emulator gave is what the client read back, as a string.
      expect(emu.rules().find((r) => r.value === value)?.id).toBe(added.results[0]?.id);
      expect(values(by('list', 'after add'))).toEqual([...before, value]);
      expect(by('offline')).toMatchObject({ valid: true, invalid: false });
      expect(script.stdout() + script.stderr()).not.toContain(TOKEN);
    },
    SCRIPT_DEADLINE_MS * 2,
  );
});
