import { PassThrough } from 'node:stream';
import { type Emulator, startEmulator } from '@birdstream/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/index.js';
import { runBin, startBin } from '../helpers/bin.js';
import { expectNoToken, expectOneLineError, TOKEN, tempDir } from '../helpers/env.js';

let emu: Emulator | undefined;
const files = tempDir();
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

/** An emulator with steady coffee traffic, 50× faster than real time. */
async function coffeeEmulator(rules = [{ value: 'coffee', tag: 'coffee' }]): Promise<Emulator> {
  emu = await startEmulator({
    port: 0,
    seed: 7,
    rate: 20,
    timeScale: 50,
    bearerToken: TOKEN,
    rules,
  });
  return emu;
}

/** How connection `id` ended, waiting for the emulator to see it end if it has not yet. */
async function closedBy(x: Emulator, id = 1): Promise<string> {
  const seen = x.stats().connections.find((c) => c.id === id)?.closedBy;
  if (seen) return seen;
  return (await x.waitFor('disconnected', (event) => event.connectionId === id, 5000)).reason;
}

function ids(jsonl: string): string[] {
  return jsonl
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { data: { id: string } }).data.id);
}

describe('against the X API emulator', () => {
  it('rules sync, list and validate --remote', async () => {
    const x = await coffeeEmulator([]);
    const env = { X_BEARER_TOKEN: TOKEN, BIRDSTREAM_BASE_URL: x.url };
    files.write(
      'rules.yaml',
      'rules:\n  - value: coffee has:media\n    tag: coffee\n  - value: "#cats"\n    tag: cats\n',
    );
    const sync = await runBin(['rules', 'sync', 'rules.yaml'], { cwd: files.dir, env });
    expect(sync.code).toBe(0);
    expect(x.rules().map((r) => [r.value, r.tag])).toEqual([
      ['coffee has:media', 'coffee'],
      ['#cats', 'cats'],
    ]);
    const list = await runBin(['rules', 'list', '--json'], { env });
    expect(JSON.parse(list.stdout).rules.map((r: { id: string }) => r.id)).toEqual(
      x.rules().map((r) => r.id),
    );
    const validate = await runBin(['rules', 'validate', 'rules.yaml', '--remote', '--json'], {
      cwd: files.dir,
      env,
    });
    expect(validate.code).toBe(0);
    expect(JSON.parse(validate.stdout).rules.map((r: { remote: string }) => r.remote)).toEqual([
      'duplicate',
      'duplicate',
    ]);
    for (const result of [sync, list, validate]) expectNoToken(result);
  });

  it('stream --limit writes exactly the posts the emulator sent, in order, then closes', async () => {
    const x = await coffeeEmulator();
    const result = await runBin(['stream', '--limit', '5', '--quiet'], {
      env: { X_BEARER_TOKEN: TOKEN, BIRDSTREAM_BASE_URL: x.url },
    });
    expect(result.code).toBe(0);
    const [connection] = x.stats().connections;
    expect(ids(result.stdout)).toEqual(connection?.postIds.slice(0, 5));
    expect(await closedBy(x)).toBe('client');
    expect(x.stats()).toMatchObject({ connectionsOpened: 1, openConnections: 0 });
  });

  it('stream --max-posts stops cleanly at the budget: warns at 80 %, exit 0, every post written, no connection left', async () => {
    const x = await coffeeEmulator();
    const result = await runBin(['stream', '--max-posts', '5'], {
      env: { X_BEARER_TOKEN: TOKEN, BIRDSTREAM_BASE_URL: x.url },
    });
    expect(result.code).toBe(0);
    const [connection] = x.stats().connections;
    expect(ids(result.stdout)).toEqual(connection?.postIds.slice(0, 5));
    expect(result.stderr).toMatch(/4 of 5 posts delivered \(--max-posts\)/);
    expect(result.stderr).toMatch(
      /birdstream: stopped at --max-posts after .*: 5 posts .*5 lines written to stdout/,
    );
    expect(result.stderr).not.toMatch(/error/i);
    expect(await closedBy(x)).toBe('client');
    expect(x.stats()).toMatchObject({ connectionsOpened: 1, openConnections: 0 });
  });

  it('stream: Ctrl-C leaves no connection open and every written line is a complete post', async () => {
    const x = await coffeeEmulator();
    const bin = startBin(['stream'], {
      env: { X_BEARER_TOKEN: TOKEN, BIRDSTREAM_BASE_URL: x.url },
    });
    await bin.waitFor('stdout', (text) => text.split('\n').length > 3);
    bin.child.kill('SIGINT');
    const result = await bin.exited;
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/birdstream: stopped by SIGINT after .*lines written to stdout/);
    const written = ids(result.stdout);
    const sent = x.stats().connections[0]?.postIds ?? [];
    expect(written.length).toBeGreaterThanOrEqual(3);
    expect(sent.slice(0, written.length)).toEqual(written);
    expect(await closedBy(x)).toBe('client');
    expect(x.stats()).toMatchObject({
      connectionsOpened: 1,
      openConnections: 0,
      maxConcurrentConnections: 1,
    });
  });

  it('stream without rules: exit 2 and the way out', async () => {
    const x = await coffeeEmulator([]);
    const result = await runBin(['stream'], {
      env: { X_BEARER_TOKEN: TOKEN, BIRDSTREAM_BASE_URL: x.url },
    });
    expect(result.code).toBe(2);
    expectOneLineError(result.stderr, /birdstream rules sync/);
  });

  it('run() in-process: aborting closes the connection before run() resolves', async () => {
    const x = await coffeeEmulator();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    stdout.on('data', (chunk) => {
      out += String(chunk);
    });
    stderr.resume();
    const controller = new AbortController();
    const firstPost = x.waitFor('post');
    const running = run(['stream', '--quiet'], {
      env: { X_BEARER_TOKEN: TOKEN, BIRDSTREAM_BASE_URL: x.url },
      stdout,
      stderr,
      signal: controller.signal,
    });
    await firstPost;
    controller.abort();
    const code = await running;
    expect(code).toBe(130);
    // Still in the same process, so no process exit can close the socket: only the client's own close does.
    expect(await closedBy(x)).toBe('client');
    expect(x.stats().openConnections).toBe(0);
    expect(ids(out).every((id) => x.stats().connections[0]?.postIds.includes(id))).toBe(true);
  });
});
