import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built `birdstream` bin (vitest's global setup builds it when stale). */
export const BIN = fileURLToPath(new URL('../../../cli/dist/bin.js', import.meta.url));

/** A running `birdstream` process with its stderr collected. */
export interface CliProcess {
  readonly child: ChildProcess;
  stderr(): string;
  /** Resolves with the exit code (or the signal name) once it exited. */
  readonly exited: Promise<number | string>;
}

export function startCli(
  args: string[],
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): CliProcess {
  const child = spawn(process.execPath, [...nodeArgs, BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', X_BEARER_TOKEN: 'e2e-token', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1));
  });
  return { child, stderr: () => stderr, exited };
}
