import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The real executable, as npm links it. */
export const BIN = fileURLToPath(new URL('../../bin/birdstream.js', import.meta.url));

/** How a `birdstream` process ended and what it printed. */
export interface BinResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface BinOptions {
  /** Environment variables on top of a minimal one (PATH only: no token leaks in from the host). */
  env?: Record<string, string>;
  cwd?: string;
}

/** A running `birdstream` process with its output so far. */
export interface RunningBin {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once `predicate` holds for the output, as soon as it does. */
  waitFor(stream: 'stdout' | 'stderr', predicate: (text: string) => boolean): Promise<string>;
  exited: Promise<BinResult>;
}

/** Starts `node bin/birdstream.js …args` with a clean environment. */
export function startBin(args: string[], options: BinOptions = {}): RunningBin {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const text = { stdout: '', stderr: '' };
  const watchers = new Set<() => void>();
  for (const name of ['stdout', 'stderr'] as const) {
    child[name]?.setEncoding('utf8');
    child[name]?.on('data', (chunk: string) => {
      text[name] += chunk;
      for (const watcher of [...watchers]) watcher();
    });
  }
  const exited = new Promise<BinResult>((resolve) => {
    child.on('close', (code, signal) =>
      resolve({ code, signal, stdout: text.stdout, stderr: text.stderr }),
    );
  });
  return {
    child,
    stdout: () => text.stdout,
    stderr: () => text.stderr,
    exited,
    waitFor(stream, predicate) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (predicate(text[stream])) {
            watchers.delete(check);
            resolve(text[stream]);
          }
        };
        watchers.add(check);
        void exited.then((result) => {
          if (!watchers.has(check)) return;
          watchers.delete(check);
          reject(
            new Error(
              `birdstream exited (${result.code ?? result.signal}) before the expected ${stream} output.\nstdout: ${result.stdout}\nstderr: ${result.stderr}`,
            ),
          );
        });
        check();
      });
    },
  };
}

/** Runs `birdstream …args` to completion. */
export function runBin(args: string[], options: BinOptions = {}): Promise<BinResult> {
  return startBin(args, options).exited;
}
