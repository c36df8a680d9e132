// @ts-check
/**
 * The runtimes other than Node that consumers can run on (Bun, Deno), found
 * through their npm packages (root devDependencies), as the runtime tests do.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * @typedef {object} RuntimeCommand
 * @property {string} binary
 * @property {string} version
 * @property {(script: string, arg: string) => string[]} argsFor
 */

/** @type {Record<string, (script: string, arg: string) => string[]>} */
const ARGS = {
  bun: (script, arg) => ['run', script, arg],
  deno: (script, arg) => ['run', '--allow-all', '--no-lock', '--no-prompt', script, arg],
};

/** @type {Map<string, RuntimeCommand | { reason: string }>} */
const found = new Map();

/**
 * The runtime's binary and version, or why it cannot run here.
 * @param {string} name `bun` or `deno`
 * @returns {RuntimeCommand | { reason: string }}
 */
export function findRuntime(name) {
  const known = found.get(name);
  if (known) return known;
  /** @type {RuntimeCommand | { reason: string }} */
  let result;
  try {
    const manifestPath = require.resolve(`${name}/package.json`);
    const bin = JSON.parse(readFileSync(manifestPath, 'utf8')).bin;
    const binary = join(dirname(manifestPath), typeof bin === 'string' ? bin : bin[name]);
    const output = execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 60_000 });
    const version = /(\d+\.\d+\.\d+)/.exec(output)?.[1] ?? output.trim();
    const argsFor = ARGS[name];
    result = argsFor
      ? { binary, version, argsFor }
      : { reason: `no command line known for ${name}` };
  } catch (error) {
    const message = String(/** @type {{ stderr?: unknown }} */ (error).stderr || error);
    result = { reason: message.trim().split('\n')[0] ?? 'unknown' };
  }
  found.set(name, result);
  return result;
}
