import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rolldown } from 'rolldown';
import { PACKAGE_DIR, SCRIPT_DEADLINE_MS } from '../support/run-script.js';
import type { Runtime } from '../support/runtimes.js';

/**
 * The export conditions Cloudflare's bundler (wrangler) resolves packages with
 * for a worker: `@birdstream/core` then takes its build without `node:` imports.
 */
export const WORKERD_CONDITIONS = ['workerd', 'worker', 'browser', 'import', 'default'];

/** A compatibility date this workerd release supports (it refuses later ones). */
const COMPATIBILITY_DATE = '2026-11-01';

/**
 * Bundles a module worker and what it imports into one ES module, the way a
 * worker is deployed: `entry` (a .ts or .js file) must `export default
 * { fetch(request, env, ctx) }`.
 */
export async function bundleForWorkerd(entry: string): Promise<string> {
  const bundle = await rolldown({
    input: entry,
    platform: 'neutral',
    cwd: PACKAGE_DIR,
    resolve: { conditionNames: WORKERD_CONDITIONS },
    logLevel: 'silent',
  });
  try {
    const { output } = await bundle.generate({ format: 'esm', codeSplitting: false });
    const chunk = output.find((item) => item.type === 'chunk');
    if (chunk === undefined || chunk.type !== 'chunk')
      throw new Error(`${entry} bundled to nothing`);
    return chunk.code;
  } finally {
    await bundle.close();
  }
}

/** A running workerd serving one worker on loopback. */
export interface RunningWorker {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The bundled module workerd runs. */
  code: string;
  /** What workerd printed on stdout: the worker's `console.log` lines. */
  stdout(): string;
  /** Resolves once `test(stdout)` holds (checked as output arrives); rejects if workerd ends first. */
  waitForStdout(test: (stdout: string) => boolean, what: string): Promise<void>;
  /** What workerd printed on stderr (its own messages and the worker's errors). */
  stderr(): string;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function capnpString(value: string): string {
  return JSON.stringify(value);
}

/**
 * Bundles `entry` (see `bundleForWorkerd`) and serves it with `workerd serve`
 * on a loopback port, with the given compatibility flags (for example
 * `nodejs_compat`) and text bindings (the worker's `env`, as `wrangler secret
 * put` gives it). Resolves once the worker answers a request.
 */
export async function startWorker(
  workerd: Runtime,
  entry: string,
  options: { compatibilityFlags?: string[]; bindings?: Record<string, string> } = {},
): Promise<RunningWorker> {
  const code = await bundleForWorkerd(entry);
  const dir = await mkdtemp(join(tmpdir(), 'birdstream-workerd-'));
  await writeFile(join(dir, 'worker.js'), code);
  const port = await freePort();
  const flags = (options.compatibilityFlags ?? []).map(capnpString).join(', ');
  const bindings = Object.entries(options.bindings ?? {})
    .map(([name, text]) => `(name = ${capnpString(name)}, text = ${capnpString(text)})`)
    .join(', ');
  await writeFile(
    join(dir, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = ${capnpString(`127.0.0.1:${port}`)}, http = (), service = "main") ],
);

const worker :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js") ],
  compatibilityDate = ${capnpString(COMPATIBILITY_DATE)},
  compatibilityFlags = [ ${flags} ],
  bindings = [ ${bindings} ],
);
`,
  );
  const child: ChildProcess = spawn(workerd.binary, workerd.argsFor(join(dir, 'config.capnp')), {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  const waiters = new Set<() => void>();
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const wake of waiters) wake();
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  let exit: string | undefined;
  const exited = new Promise<void>((resolve) =>
    child.on('exit', (code, signal) => {
      exit = `exit ${code ?? signal}`;
      resolve();
      for (const wake of waiters) wake();
    }),
  );
  const close = async () => {
    if (exit === undefined) child.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  const waitForStdout = (test: (stdout: string) => boolean, what: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (test(stdout)) {
          finish();
          resolve();
        } else if (exit !== undefined) {
          finish();
          reject(new Error(`workerd ended (${exit}) before ${what}:\n${stderr}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(
          new Error(`workerd: no ${what} within ${SCRIPT_DEADLINE_MS} ms:\n${stdout}\n${stderr}`),
        );
      }, SCRIPT_DEADLINE_MS);
      const finish = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });
  const url = `http://127.0.0.1:${port}`;
  // Generous (see SCRIPT_DEADLINE_MS): workerd compiles the bundle before it listens.
  const deadline = performance.now() + SCRIPT_DEADLINE_MS;
  for (;;) {
    if (exit !== undefined) {
      await close();
      throw new Error(`workerd ended (${exit}) before serving:\n${stderr}`);
    }
    try {
      await fetch(`${url}/`, { method: 'HEAD' });
      return { url, code, stdout: () => stdout, stderr: () => stderr, waitForStdout, close };
    } catch {
      if (performance.now() > deadline) {
        await close();
        throw new Error(`workerd did not serve within ${SCRIPT_DEADLINE_MS} ms:\n${stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
