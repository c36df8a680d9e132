import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const packagesDir = fileURLToPath(new URL('./packages/', import.meta.url));

/**
 * Packages that tests run as real programs (the `birdstream` bin, the README
 * quick start, the scripts run on Bun and Deno), which load their dependencies
 * from `dist/`: in dependency
 * order, with the outputs that must exist.
 */
const BUILDS = [
  { name: 'core', outputs: ['dist/index.js'] },
  { name: 'rules', outputs: ['dist/index.js'] },
  { name: 'rx', outputs: ['dist/index.js'] },
  { name: 'redis', outputs: ['dist/index.js', 'dist/rx.js'] },
  { name: 'webhooks', outputs: ['dist/index.js', 'dist/node.js', 'dist/hono.js', 'dist/rx.js'] },
  { name: 'prometheus', outputs: ['dist/index.js'] },
  { name: 'cli', outputs: ['dist/index.js', 'dist/bin.js'] },
];

/** Newest modification time of the files a package's build reads. */
function newestSource(dir: string): number {
  let newest = 0;
  const visit = (path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) visit(full);
      else newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  visit(join(dir, 'src'));
  for (const file of ['package.json', 'tsdown.config.ts']) {
    const full = join(dir, file);
    if (existsSync(full)) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

function isStale(dir: string, outputs: string[]): boolean {
  const source = newestSource(dir);
  return outputs.some((output) => {
    const full = join(dir, output);
    return !existsSync(full) || statSync(full).mtimeMs < source;
  });
}

/**
 * vitest global setup (once per run, before any project): builds core, rules,
 * rx, redis, webhooks and cli with tsdown when their `dist/` is missing or older than their
 * sources. After `pnpm build` (as in `pnpm check`) nothing is rebuilt. Every
 * other test reads workspace packages from `src/`.
 */
export default async function setup(): Promise<void> {
  const buildScript = fileURLToPath(new URL('./scripts/build-package.mjs', import.meta.url));
  for (const build of BUILDS) {
    const dir = join(packagesDir, build.name);
    if (!isStale(dir, build.outputs)) continue;
    try {
      await run(process.execPath, [buildScript, '--quiet'], { cwd: dir });
    } catch (error) {
      const output = String((error as { stderr?: unknown }).stderr ?? error)
        // biome-ignore lint/suspicious/noControlCharactersInRegex: strips terminal colours
        .replace(/\u001b\[[0-9;]*m/g, '')
        .split('\n')
        .slice(0, 30)
        .join('\n');
      throw new Error(
        `Tests that run built programs need packages/${build.name}/dist, but its build failed:\n${output}`,
      );
    }
  }
}
