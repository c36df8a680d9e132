// SIGTERM/SIGINT end `birdstream stream | slow-tool` even when the reader never reads.
import { spawn } from 'node:child_process';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/bin.js';
import { expectNoToken, TOKEN } from '../helpers/env.js';
import { type FakeX, startFakeX } from '../helpers/fake-x.js';

let x: FakeX;
beforeAll(async () => {
  x = await startFakeX({ token: TOKEN });
});
afterAll(async () => {
  await x.close();
});

const LINE = JSON.stringify({
  data: { id: '1900000000000000001', text: 'x'.repeat(900), edit_history_tweet_ids: ['1'] },
});

/** Streams posts as fast as the client takes them, until it leaves. */
function serveEndlessly(): void {
  x.onStream((_req, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    let open = true;
    res.on('close', () => {
      open = false;
    });
    const pump = () => {
      while (open) {
        if (!res.write(`${LINE}\r\n`)) {
          res.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
}

/** Starts the real bin with stdout piped to a reader that never reads. */
function startWithBlockedStdout() {
  const child = spawn(process.execPath, [BIN, 'stream', '--progress-interval', '20ms'], {
    env: { PATH: process.env.PATH ?? '', X_BEARER_TOKEN: TOKEN, BIRDSTREAM_BASE_URL: x.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // stdout is never read (no listener, paused): the pipe fills and stays full.
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  /**
   * Resolves once the CLI is stuck on stdout: the server sends without pause,
   * yet three progress lines in a row report the same number of posts, and
   * those posts are more than a pipe holds (64 KiB on Linux).
   */
  const blocked = new Promise<void>((resolve, reject) => {
    const check = () => {
      const counts = [...stderr.matchAll(/: (\d+) posts? \(/g)].map((m) => Number(m[1]));
      const last = counts.slice(-3);
      const posts = last[0] ?? 0;
      if (last.length === 3 && last.every((n) => n === posts) && posts * LINE.length > 65_536) {
        child.stderr.off('data', check);
        resolve();
      }
    };
    child.stderr.on('data', check);
    child.on('exit', () => reject(new Error(`birdstream exited early: ${stderr}`)));
  });
  return { child, exited, blocked, stderr: () => stderr };
}

/** Ends the child if the CLI failed to exit, so a regression fails instead of hanging. */
async function exitWithin<T>(
  exited: Promise<T>,
  ms: number,
  kill: () => void,
): Promise<T | 'hung'> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => {
      kill();
      resolve('hung');
    }, ms);
  });
  try {
    return await Promise.race([exited, hung]);
  } finally {
    clearTimeout(timer);
  }
}

describe('birdstream stream with a blocked stdout', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)(
    'on %s: closes the connection, gives up flushing after the grace period, exits %i',
    async (signal, code) => {
      x.requests.length = 0;
      serveEndlessly();
      const run = startWithBlockedStdout();
      await run.blocked;
      run.child.kill(signal);
      // The grace period is 2 s; 10 s leaves room for a loaded machine, not for waiting forever.
      const result = await exitWithin(run.exited, 10_000, () => run.child.kill('SIGKILL'));
      expect(result).toEqual({ code, signal: null });
      // Closed on X's side: the server saw the connection end.
      await x.requests.find((r) => r.path.endsWith('/stream'))?.closed;
      expect(run.stderr()).toMatch(/bytes could not be flushed to stdout within 2 s of the signal/);
      expect(run.stderr()).toMatch(new RegExp(`stopped by ${signal} after `));
      expectNoToken({ stdout: '', stderr: run.stderr() });
    },
    20_000,
  );

  it('a second signal exits at once, without waiting for the grace period', async () => {
    x.requests.length = 0;
    serveEndlessly();
    const run = startWithBlockedStdout();
    await run.blocked;
    run.child.kill('SIGTERM');
    // The first signal was handled once the connection is closed on X's side.
    await x.requests.find((r) => r.path.endsWith('/stream'))?.closed;
    run.child.kill('SIGTERM');
    const result = await exitWithin(run.exited, 10_000, () => run.child.kill('SIGKILL'));
    expect(result).toEqual({ code: 143, signal: null });
    // Gone before the grace period ended (that would have printed this).
    expect(run.stderr()).not.toContain('could not be flushed');
  }, 20_000);
});
