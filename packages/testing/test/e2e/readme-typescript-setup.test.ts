import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, expect, test } from 'vitest';
import { type Emulator, startEmulator } from '../../src/index.js';
import { printedPosts } from './printed-posts.js';

// The root README says how to run its TypeScript examples: `npx tsx` (Node 20 cannot run .ts
// files, and the examples are TypeScript), or tsc with the tsconfig it shows. This test does
// both with the quick start, in a project of its own, as a user would.
const readme = readFileSync(
  fileURLToPath(new URL('../../../../README.md', import.meta.url)),
  'utf8',
);
const quickStart = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
const tsconfig = /```json\n(\{[\s\S]*?"types": \["node"\][\s\S]*?\})\n```/.exec(readme)?.[1];
const packageDir = fileURLToPath(new URL('../../', import.meta.url));
const rootDir = fileURLToPath(new URL('../../../../', import.meta.url));
const resolve = createRequire(join(packageDir, 'package.json')).resolve;
const TOKEN = 'readme-typescript-token';

let emu: Emulator | undefined;
let child: ChildProcess | undefined;
let project: string | undefined;
afterEach(async () => {
  child?.kill('SIGKILL');
  await emu?.close();
  if (project) rmSync(project, { recursive: true, force: true });
});

test('the README quick start runs as quick-start.ts with npx tsx, and compiles with the README tsconfig', async () => {
  expect(readme).toContain('npx tsx quick-start.ts');
  expect(tsconfig, 'README.md shows no tsconfig with "types": ["node"]').toBeDefined();
  project = mkdtempSync(join(tmpdir(), 'readme-ts-'));
  // The project's dependencies: the installed @birdstream/core (built), zod and @types/node.
  mkdirSync(join(project, 'node_modules', '@types'), { recursive: true });
  for (const name of ['@birdstream', 'zod']) {
    symlinkSync(join(packageDir, 'node_modules', name), join(project, 'node_modules', name), 'dir');
  }
  const typesNode = join(resolve('@types/node/package.json', { paths: [rootDir] }), '..');
  symlinkSync(typesNode, join(project, 'node_modules', '@types', 'node'), 'dir');
  writeFileSync(join(project, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(project, 'quick-start.ts'), quickStart);
  writeFileSync(join(project, 'tsconfig.json'), tsconfig ?? '');

  // tsc with the README's tsconfig: no error (process.env needs "types": ["node"] under TS 7).
  // (About 13 s of CPU: the test's time limit is generous for a busy machine.)
  const tsc = join(resolve('typescript/package.json'), '..', 'bin', 'tsc');
  await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project });

  emu = await startEmulator({
    seed: 7,
    rate: 200,
    timeScale: 10,
    bearerToken: TOKEN,
    rules: [{ value: 'coffee OR cats OR weather OR football', tag: 'everything' }],
  });
  const tsx = join(resolve('tsx/package.json'), '..', 'dist', 'cli.mjs');
  child = spawn(process.execPath, [tsx, 'quick-start.ts'], {
    cwd: project,
    env: { PATH: process.env.PATH, X_BEARER_TOKEN: TOKEN, BIRDSTREAM_BASE_URL: emu.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Generous: tsx compiles the file first on a machine that may be busy.
  const { stderr } = await printedPosts(child, 3, 30_000);
  expect(stderr).toBe('');
}, 240_000);
