import { createServer } from 'node:net';
import {
  EMULATOR_CONSUMER_SECRET,
  EMULATOR_TOPICS,
  type Emulator,
  startEmulator,
} from '@birdstream/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningBin, runBin, startBin } from '../helpers/bin.js';
import { expectNoToken, expectOneLineError, TOKEN } from '../helpers/env.js';

let emu: Emulator | undefined;
let serving: RunningBin | undefined;
afterEach(async () => {
  serving?.child.kill('SIGKILL');
  serving = undefined;
  await emu?.close();
  emu = undefined;
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const RULE = Object.values(EMULATOR_TOPICS)
  .map((t) => t.keywords[0])
  .join(' OR ');

describe('birdstream webhooks', () => {
  it('serve, register, link, list, crc, replay: each post once on stdout, exit 130 on SIGINT', async () => {
    // Real time (timeScale 1): `--from 30m` is read on the CLI's own clock.
    emu = await startEmulator({
      seed: 5,
      rate: 100,
      timeScale: 1,
      bearerToken: TOKEN,
      rules: [{ value: RULE }],
    });
    const env = {
      X_BEARER_TOKEN: TOKEN,
      BIRDSTREAM_BASE_URL: emu.url,
      X_CONSUMER_SECRET: EMULATOR_CONSUMER_SECRET,
    };
    const port = await freePort();
    serving = startBin(
      [
        'webhooks',
        'serve',
        '--port',
        String(port),
        '--path',
        '/x',
        '--tweet-fields',
        'created_at',
        '--expansions',
        'author_id',
      ],
      { env },
    );
    await serving.waitFor('stderr', (text) => text.includes('Listening on'));
    const url = `http://127.0.0.1:${port}/x`;
    const registered = await runBin(['webhooks', 'register', url, '--json'], { env });
    expect(registered.code, registered.stderr).toBe(0);
    const id = (JSON.parse(registered.stdout) as { id: string }).id;
    const linked = await runBin(
      ['webhooks', 'link', id, '--tweet-fields', 'created_at', '--expansions', 'author_id'],
      { env },
    );
    expect(linked.stdout).toContain(
      `Linked webhook ${id} to the filtered stream (expansions=author_id tweet.fields=created_at).`,
    );
    const lines = await serving.waitFor(
      'stdout',
      (text) => text.split('\n').filter(Boolean).length >= 10,
    );
    const posts = lines
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { data: { id: string; created_at: string }; includes: unknown });
    expect(
      posts.every((p) => typeof p.data.created_at === 'string' && p.includes !== undefined),
    ).toBe(true);

    const listed = await runBin(['webhooks', 'list'], { env });
    expect(listed.stdout).toContain(
      `${id}  valid    linked (expansions=author_id tweet.fields=created_at)  ${url}`,
    );
    const crc = await runBin(['webhooks', 'crc', id], { env });
    expect([crc.code, crc.stdout.trim()]).toEqual([0, `Webhook ${id} passed the CRC: valid.`]);
    const computed = await runBin(['webhooks', 'crc', '--crc-token', 'abc'], { env });
    expect(JSON.parse(computed.stdout).response_token).toMatch(/^sha256=[A-Za-z0-9+/]{43}=$/);

    await runBin(['webhooks', 'link', id, '--remove'], { env });
    const replay = await runBin(['webhooks', 'replay', id, '--from', '30m'], { env });
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout).toMatch(/^Replay job \d+ started for webhook \d+: \d{12} to \d{12}/);
    await expect
      .poll(() => emu?.webhooks.stats().replays[0]?.done, { timeout: 30_000, interval: 50 })
      .toBe(true);
    await expect
      .poll(() => emu?.webhooks.stats().pending, { timeout: 30_000, interval: 50 })
      .toBe(0);

    serving.child.kill('SIGINT');
    const result = await serving.exited;
    serving = undefined;
    expect(result.code).toBe(130);
    const written = result.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { data: { id: string } }).data.id);
    const matched = emu.webhooks.stats().matched[id] ?? [];
    // Every matched post once on stdout; the replay's copies were dropped as duplicates.
    expect([...written].sort()).toEqual([...matched].sort());
    const replayed = emu.webhooks.stats().replays[0]?.posts ?? -1;
    expect(replayed).toBeGreaterThan(0);
    expect(result.stderr).toContain(
      `Stopped: ${written.length} posts written, ${replayed} duplicates dropped, 0 requests refused`,
    );
    for (const text of [result.stdout, result.stderr, registered.stdout, listed.stdout]) {
      expect(text).not.toContain(EMULATOR_CONSUMER_SECRET);
      expectNoToken({ stdout: text, stderr: '' });
    }
  });

  it('without X_CONSUMER_SECRET, serve says where to put it (exit 2); a bad URL is refused before any request', async () => {
    const noSecret = await runBin(['webhooks', 'serve', '--port', '0'], {
      env: { X_BEARER_TOKEN: TOKEN },
    });
    expect(noSecret.code).toBe(2);
    expectOneLineError(noSecret.stderr, /No consumer secret: set X_CONSUMER_SECRET/);
    const badUrl = await runBin(['webhooks', 'register', 'http://example.com:8080/x'], {
      env: { X_BEARER_TOKEN: TOKEN },
    });
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(/https/);
    const badField = await runBin(['webhooks', 'link', '1', '--tweet-fields', 'nope'], {
      env: { X_BEARER_TOKEN: TOKEN },
    });
    expect(badField.code).toBe(2);
    expect(badField.stderr).toMatch(/--tweet-fields/);
  });
});
