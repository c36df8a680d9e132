import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  EMULATOR_CONSUMER_SECRET,
  EMULATOR_TOPICS,
  type Emulator,
  startEmulator,
} from '@birdstream/testing';
import { afterEach, expect, test } from 'vitest';

// The package README's first code block is the quick start: it runs verbatim with node (the
// built package, as a user gets it) against the emulator, with only the environment a user sets.
const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
const quickStart = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
const packageDir = fileURLToPath(new URL('../', import.meta.url));
const TOKEN = 'readme-webhooks-token';

let emu: Emulator | undefined;
let child: ChildProcess | undefined;
afterEach(async () => {
  child?.kill('SIGKILL');
  await emu?.close();
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

test('the quick start is at most 15 lines, runs as written, registers, links and prints posts with their author', async () => {
  expect(quickStart, 'README.md has no ```ts block').toBeDefined();
  expect(quickStart?.trim().split('\n').length).toBeLessThanOrEqual(15);
  emu = await startEmulator({
    seed: 11,
    rate: 50,
    timeScale: 10,
    bearerToken: TOKEN,
    rules: [
      {
        value: Object.values(EMULATOR_TOPICS)
          .map((t) => t.keywords[0])
          .join(' OR '),
      },
    ],
  });
  const port = await freePort();
  child = spawn(process.execPath, ['--input-type=module', '-e', quickStart ?? ''], {
    cwd: packageDir,
    env: {
      PATH: process.env.PATH,
      X_BEARER_TOKEN: TOKEN,
      X_CONSUMER_SECRET: EMULATOR_CONSUMER_SECRET,
      BIRDSTREAM_BASE_URL: emu.url,
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child?.on('exit', resolve));
  const printed = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z [A-Za-z0-9_]{1,15} /gm;
  await new Promise<void>((resolve, reject) => {
    // Generous: the first posts come within a few emulated seconds; a busy machine may be slow.
    const timer = setTimeout(
      () => reject(new Error(`quick start printed too little:\n${stdout}\n${stderr}`)),
      30_000,
    );
    child?.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if ((stdout.match(printed) ?? []).length >= 5) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`quick start exited with ${code}:\n${stdout}\n${stderr}`));
    });
  });
  expect(stdout).not.toMatch(/\bundefined\b/);
  expect(stderr).toBe('');
  expect(stdout).not.toContain(EMULATOR_CONSUMER_SECRET);
  const stats = emu.webhooks.stats();
  expect(stats.webhooks.map((w) => w.url)).toEqual([`http://127.0.0.1:${port}/webhooks/x`]);
  expect(stats.links[0]?.fields).toEqual(['tweet.fields=created_at', 'expansions=author_id']);
});
