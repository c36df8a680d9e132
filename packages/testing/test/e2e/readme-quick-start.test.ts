import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, test } from 'vitest';
import { type Emulator, startEmulator } from '../../src/index.js';
import { printedPosts } from './printed-posts.js';

// The root README's first code block is the quick start. It must run as written: this test
// runs it verbatim with node (the built @birdstream/core, as a user would get it) against the
// emulator, with only the environment a user would set.
const readme = readFileSync(
  fileURLToPath(new URL('../../../../README.md', import.meta.url)),
  'utf8',
);
const quickStart = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
const packageDir = fileURLToPath(new URL('../../', import.meta.url));
const TOKEN = 'readme-quick-start-token';

let emu: Emulator | undefined;
let child: ChildProcess | undefined;
afterEach(async () => {
  child?.kill('SIGKILL');
  await emu?.close();
});

test('the README quick start runs as written and prints posts with their author', async () => {
  expect(quickStart, 'README.md has no ```ts block').toBeDefined();
  emu = await startEmulator({
    port: 0,
    seed: 7,
    rate: 200,
    timeScale: 10,
    bearerToken: TOKEN,
    rules: [{ value: 'coffee OR cats OR weather OR football', tag: 'everything' }],
  });

  child = spawn(process.execPath, ['--input-type=module', '-e', quickStart ?? ''], {
    cwd: packageDir,
    env: { PATH: process.env.PATH, X_BEARER_TOKEN: TOKEN, BIRDSTREAM_BASE_URL: emu.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Each post prints "<created_at> <username> <text>"; wait for five of them.
  const { stdout, stderr } = await printedPosts(child, 5, 15_000);

  // created_at and the author were requested, so neither may print as missing.
  expect(stdout).not.toMatch(/\bundefined\b/);
  expect(stderr).toBe('');
  expect(stdout).not.toContain(TOKEN);
  expect(emu.stats().maxConcurrentConnections).toBe(1);
});
