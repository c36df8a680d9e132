import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

export type RuntimeName = 'bun' | 'deno' | 'workerd';

/** A JavaScript runtime the tests run scripts on, found through its npm package. */
export interface Runtime {
  name: RuntimeName;
  /** Its binary, from the npm package of the same name (a root devDependency). */
  binary: string;
  /** `x.y.z` (workerd: its date, `yyyy-mm-dd`), once the binary answered `--version`. */
  version: string;
  /** The command line that runs a script with the least it needs. */
  argsFor(script: string, options?: { allowRead?: string }): string[];
}

/** A runtime that could not be used here, and why (printed; the tests are skipped with it). */
export interface MissingRuntime {
  name: RuntimeName;
  reason: string;
}

const ARGS: Record<RuntimeName, Runtime['argsFor']> = {
  bun: (script) => ['run', script],
  // The permissions the README tells Deno users to give: network and environment (the token).
  deno: (script, options) => [
    'run',
    '--allow-net',
    '--allow-env',
    ...(options?.allowRead ? [`--allow-read=${options.allowRead}`] : []),
    '--no-lock',
    '--no-prompt',
    script,
  ],
  // A workerd "script" is its configuration file.
  workerd: (config) => ['serve', config],
};

/**
 * Finds a runtime's binary through its npm package (`bun`, `deno`) and asks
 * its version. Anything that stops it — the package missing, a binary that
 * does not run here (bun's bin is a stub until its postinstall ran) — makes
 * a `MissingRuntime` that says so.
 */
export async function findRuntime(name: RuntimeName): Promise<Runtime | MissingRuntime> {
  let binary: string;
  // `BIRDSTREAM_TEST_BUN=/path/to/bun` (or `_DENO`) runs the tests on another build, e.g. an
  // older release to see a known bug fail its test.
  const override = process.env[`BIRDSTREAM_TEST_${name.toUpperCase()}`];
  if (override) return probe(name, override);
  try {
    const manifestPath = require.resolve(`${name}/package.json`);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
      bin?: string | Record<string, string>;
    };
    const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[name];
    if (bin === undefined) return { name, reason: `the npm package ${name} declares no bin` };
    binary = join(dirname(manifestPath), bin);
  } catch (error) {
    return {
      name,
      reason: `the npm package ${name} is not installed (${(error as Error).message.split('\n')[0]}); run npx -y pnpm@10.34.8 install`,
    };
  }
  return probe(name, binary);
}

async function probe(name: RuntimeName, binary: string): Promise<Runtime | MissingRuntime> {
  try {
    // Generous: the first run of a 100 MB binary on a busy machine reads it from disk.
    const { stdout } = await run(binary, ['--version'], { timeout: 60_000 });
    const version = /(\d+\.\d+\.\d+|\d{4}-\d{2}-\d{2})/.exec(stdout)?.[1];
    if (version === undefined) return { name, reason: `${binary} --version printed ${stdout}` };
    return { name, binary, version, argsFor: ARGS[name] };
  } catch (error) {
    const output = String((error as { stderr?: unknown }).stderr ?? '').trim();
    return {
      name,
      reason: `${binary} does not run here: ${(output || (error as Error).message).split('\n')[0]}`,
    };
  }
}

export function isRuntime(runtime: Runtime | MissingRuntime): runtime is Runtime {
  return 'binary' in runtime;
}

/** The runtimes the tests cover; a missing one is reported on stderr once. */
export const RUNTIMES: (Runtime | MissingRuntime)[] = await Promise.all([
  findRuntime('bun'),
  findRuntime('deno'),
]);
for (const runtime of RUNTIMES) {
  if (!isRuntime(runtime)) {
    console.warn(`[runtime-tests] ${runtime.name} tests are skipped: ${runtime.reason}`);
  }
}

/** `describe` title: the runtime and version, or why its tests are skipped. */
export function titleOf(runtime: Runtime | MissingRuntime): string {
  return isRuntime(runtime)
    ? `${runtime.name} ${runtime.version}`
    : `${runtime.name} (skipped: ${runtime.reason})`;
}

/** Compares dotted versions: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
