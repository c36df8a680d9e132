import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SCRIPT_DEADLINE_MS } from './run-script.js';
import type { Runtime } from './runtimes.js';

const run = promisify(execFile);

/** The conditions asked about: every one a package might name for a server-side runtime. */
export const CANDIDATE_CONDITIONS = [
  'bun',
  'deno',
  'node',
  'workerd',
  'worker',
  'browser',
  'edge-light',
  'import',
  'require',
  'module',
  'development',
  'production',
] as const;

/**
 * The export conditions a runtime reads when it imports a package, asked of
 * the runtime itself: in a scratch folder, one package per candidate
 * condition whose `exports` map that condition to a module exporting `true`
 * and `default` to one exporting `false`; the runtime imports each and says
 * which were `true`. (`default` always applies.)
 */
export async function exportConditionsOf(runtime: Runtime): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), `birdstream-conditions-${runtime.name}-`));
  try {
    const dependencies: Record<string, string> = {};
    for (const condition of CANDIDATE_CONDITIONS) {
      const name = `probe-${condition}`;
      dependencies[name] = '1.0.0';
      const packageDir = join(dir, 'node_modules', name);
      await mkdir(packageDir, { recursive: true });
      await writeFile(
        join(packageDir, 'package.json'),
        JSON.stringify({
          name,
          version: '1.0.0',
          type: 'module',
          exports: { '.': { [condition]: './yes.js', default: './no.js' } },
        }),
      );
      await writeFile(join(packageDir, 'yes.js'), 'export default true;\n');
      await writeFile(join(packageDir, 'no.js'), 'export default false;\n');
    }
    await writeFile(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'probe', private: true, type: 'module', dependencies }),
    );
    await writeFile(
      join(dir, 'probe.mjs'),
      `const read = [];
for (const condition of ${JSON.stringify(CANDIDATE_CONDITIONS)}) {
  if ((await import('probe-' + condition)).default === true) read.push(condition);
}
console.log(JSON.stringify(read));
`,
    );
    const { stdout } = await run(
      runtime.binary,
      runtime.argsFor(join(dir, 'probe.mjs'), { allowRead: dir }),
      {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1' },
        timeout: SCRIPT_DEADLINE_MS,
      },
    );
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '[]') as string[];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
