import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Emulator, startEmulator } from '../../src/index.js';
import { printedPosts } from './printed-posts.js';

// The Node lines the README and every package's `engines` promise: 20 (from 20.19), 22 and 24.
// Each runs the README quick start (the built @birdstream/core) and the built `birdstream` CLI
// against the emulator. Node 20 is the one running this test; 22 and 24 come from the npm
// registry (`npx -p node@22`, binaries published as npm packages), fetched once and cached.
const run = promisify(execFile);
const readme = readFileSync(
  fileURLToPath(new URL('../../../../README.md', import.meta.url)),
  'utf8',
);
const quickStart = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
const packageDir = fileURLToPath(new URL('../../', import.meta.url));
const cliBin = fileURLToPath(new URL('../../../cli/bin/birdstream.js', import.meta.url));
const TOKEN = 'node-lines-token';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({
    seed: 3,
    rate: 200,
    timeScale: 10,
    bearerToken: TOKEN,
    rules: [{ value: 'coffee OR cats OR weather OR football', tag: 'everything' }],
  });
});
afterAll(async () => {
  await emu.close();
});

/**
 * `node` of `line`: this process's for 20, else the binary npm publishes (`npx -p node@N`),
 * resolved once so the runs below start it directly.
 */
async function nodeOf(line: number): Promise<string> {
  if (line === 20) return process.execPath;
  const npx = ['-y', '-p', `node@${line}`, 'node', '-p', 'process.execPath'];
  const { stdout } = await run('npx', npx, { timeout: 300_000 });
  return stdout.trim();
}

// The lines run at once: on a fresh machine the first run of each downloads its node.
describe.concurrent.each([20, 22, 24])('Node %i', (line) => {
  // Generous: the first run downloads that line's node from the registry.
  test('runs the README quick start and the birdstream CLI', async () => {
    expect(readme).toContain('Node.js 20.19+, 22 and 24');
    const node = await nodeOf(line);
    const env = { PATH: process.env.PATH, X_BEARER_TOKEN: TOKEN, BIRDSTREAM_BASE_URL: emu.url };
    const version = await run(node, ['--version'], { env });
    expect(version.stdout.trim()).toMatch(new RegExp(`^v${line}\\.`));

    // The quick start never ends by itself: stop it after a few posts printed.
    const started = execFile(node, ['--input-type=module', '-e', quickStart], {
      cwd: packageDir,
      env,
    });
    await printedPosts(started, 3, 60_000);
    started.kill('SIGKILL');

    const cli = await run(node, [cliBin, 'stream', '--limit', '3', '-q'], { env });
    expect(cli.stdout.trim().split('\n')).toHaveLength(3);
  }, 360_000);
});
