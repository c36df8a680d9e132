import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Runtime } from './runtimes.js';

/** The package folder: scripts run from here, so `@birdstream/*` resolve to the built packages. */
export const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));

/** One line a script printed (`scripts/lib.mjs` `emit`). */
export type ScriptMessage = { type: string } & Record<string, unknown>;

/**
 * Generous bound for anything a script must do: a 2-core machine shared with
 * other test runs can take seconds to start a 100 MB runtime and compile the
 * packages. Only a hang should reach it; no result depends on it.
 */
export const SCRIPT_DEADLINE_MS = 120_000;

/** A script running on a runtime: its messages as they come, and how to stop it. */
export interface RunningScript {
  readonly messages: ScriptMessage[];
  stdout(): string;
  stderr(): string;
  /** Resolves with the first message (from the start) that satisfies `test`. */
  waitFor(test: (message: ScriptMessage) => boolean, what: string): Promise<ScriptMessage>;
  /** Writes `stop` on the script's stdin (scripts close their stream and print `done`). */
  stop(): void;
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
  kill(): void;
}

/**
 * Runs `scripts/<name>` on a runtime with `config` as JSON in
 * `RUNTIME_TEST_CONFIG`, and only the environment a user would have.
 * `allowRead`: a folder Deno may read (a script that imports a module by a
 * computed path needs it; static imports do not).
 */
export function runScript(
  runtime: Runtime,
  name: string,
  config: Record<string, unknown> = {},
  env: Record<string, string> = {},
  options: { allowRead?: string } = {},
): RunningScript {
  const child: ChildProcess = spawn(runtime.binary, runtime.argsFor(`scripts/${name}`, options), {
    cwd: PACKAGE_DIR,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NO_COLOR: '1',
      DENO_NO_UPDATE_CHECK: '1',
      RUNTIME_TEST_CONFIG: JSON.stringify(config),
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const messages: ScriptMessage[] = [];
  const waiters = new Set<() => void>();
  let stdout = '';
  let stderr = '';
  let partial = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    partial += chunk;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() === '') continue;
      try {
        messages.push(JSON.parse(line) as ScriptMessage);
      } catch {
        messages.push({ type: 'unparsed', line });
      }
    }
    for (const wake of waiters) wake();
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdin?.on('error', () => undefined);
  let exitedYet = false;
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => {
      exitedYet = true;
      resolve(code ?? signal ?? 'unknown');
      for (const wake of waiters) wake();
    });
  });
  return {
    messages,
    stdout: () => stdout,
    stderr: () => stderr,
    waitFor(test, what) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(test);
          if (found) {
            finish();
            resolve(found);
          } else if (exitedYet) {
            finish();
            reject(
              new Error(
                `${runtime.name} exited before ${what}.\nstdout:\n${stdout}\nstderr:\n${stderr}`,
              ),
            );
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(
            new Error(
              `${runtime.name}: no ${what} within ${SCRIPT_DEADLINE_MS} ms.\nstdout:\n${stdout.slice(-4000)}\nstderr:\n${stderr}`,
            ),
          );
        }, SCRIPT_DEADLINE_MS);
        const finish = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    stop() {
      child.stdin?.end('stop\n');
    },
    exited,
    kill() {
      if (!exitedYet) child.kill('SIGKILL');
    },
  };
}
