import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./ingest-worker.mjs', import.meta.url));

/** A running `ingest-worker.mjs` with its JSON-line events collected. */
export interface WorkerProcess {
  readonly owner: string;
  readonly child: ChildProcess;
  /** Every event printed so far. */
  events(): Record<string, unknown>[];
  stderr(): string;
  /** Resolves with the exit code (or the signal name) once it exited. */
  readonly exited: Promise<number | string>;
}

/** Starts a library ingest worker in its own process (see `ingest-worker.mjs` for `config`). */
export function startWorker(owner: string, config: Record<string, unknown>): WorkerProcess {
  const child = spawn(process.execPath, [SCRIPT, JSON.stringify({ owner, ...config })], {
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1));
  });
  return {
    owner,
    child,
    events: () =>
      stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    stderr: () => stderr,
    exited,
  };
}
