import type { Emulator } from '@birdstream/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { startRealTimeEmulator, TOKEN } from './support/emulator.js';
import { type RunningScript, runScript, SCRIPT_DEADLINE_MS } from './support/run-script.js';
import { isRuntime, RUNTIMES, titleOf } from './support/runtimes.js';

let emu: Emulator | undefined;
let script: RunningScript | undefined;
afterEach(async () => {
  script?.kill();
  await emu?.close();
  emu = undefined;
  script = undefined;
});

for (const runtime of RUNTIMES) {
  describe.skipIf(!isRuntime(runtime))(titleOf(runtime), () => {
    it(
      'rules: a dry run stores nothing and reports the invalid rule, add stores, list reads back',
      async () => {
        if (!isRuntime(runtime)) return;
        emu = await startRealTimeEmulator(`rules-${runtime.name}`);
        const before = emu.rules().map((r) => r.value);
        script = runScript(runtime, 'rules.mjs', { baseUrl: emu.url, token: TOKEN });
        const done = await script.waitFor((m) => m.type === 'done', 'done');
        expect(done).toBeDefined();
        expect(await script.exited).toBe(0);
        const by = (type: string, when?: string) =>
          script?.messages.find((m) => m.type === type && (when === undefined || m.when === when));
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

        const added = by('add') as unknown as {
          ok: boolean;
          results: { status: string; id: string }[];
        };
        expect(added.ok).toBe(true);
        expect(added.results[0]?.status).toBe('created');
        const stored = emu.rules().find((r) => r.value === value);
        // The id X (here the emulator) gave is what the client read back, as a string.
        expect(stored?.id).toBe(added.results[0]?.id);
        expect(values(by('list', 'after add'))).toEqual([...before, value]);
        expect(by('offline')).toMatchObject({ valid: true, invalid: false });
        expect(script.stdout() + script.stderr()).not.toContain(TOKEN);
      },
      SCRIPT_DEADLINE_MS * 2,
    );
  });
}
