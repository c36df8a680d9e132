import { readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { closeAfterEach, describeEachRuntime } from './support/each-runtime.js';
import { startRealTimeEmulator, TOKEN } from './support/emulator.js';
import { PACKAGE_DIR, runScript, SCRIPT_DEADLINE_MS } from './support/run-script.js';

// The README's "Runtimes" section has a quick start for Bun and Deno: its first ```ts block,
// run as written (saved as a .ts file, with the command line the README gives) against the
// emulator, with only the environment a user would set.
const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
const section = readme.slice(readme.indexOf('\n## Runtimes'));
const quickStart = /```ts\n([\s\S]*?)```/.exec(section)?.[1];

const track = closeAfterEach();

describeEachRuntime((runtime) => {
  it(
    'the README quick start for Bun and Deno runs as written and prints posts',
    async () => {
      expect(quickStart, 'README.md has no ```ts block under "## Runtimes"').toBeDefined();
      const emu = track(await startRealTimeEmulator(`quick-start-${runtime.name}`), (x) =>
        x.close(),
      );
      // Beside the package's node_modules, as a user's file sits beside theirs.
      const name = `quick-start-${runtime.name}-${process.pid}.ts`;
      const file = track(join(PACKAGE_DIR, 'scripts', name), (x) => rm(x, { force: true }));
      await writeFile(file, quickStart ?? '');
      const script = track(
        runScript(runtime, name, {}, { X_BEARER_TOKEN: TOKEN, BIRDSTREAM_BASE_URL: emu.url }),
        (x) => x.kill(),
      );
      // Each post prints "<created_at> <text>"; wait for five.
      const printed = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z \S/gm;
      await script.waitFor(
        () => (script.stdout().match(printed) ?? []).length >= 5,
        'five printed posts',
      );
      expect(script.stdout()).not.toMatch(/\bundefined\b/);
      expect(script.stderr()).toBe('');
      expect(script.stdout()).not.toContain(TOKEN);
    },
    SCRIPT_DEADLINE_MS * 2,
  );
});
