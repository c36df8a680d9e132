import { PassThrough } from 'node:stream';
import { StreamClient } from '@birdstream/core';
import { type Emulator, startEmulator } from '@birdstream/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/index.js';
import { TOKEN } from '../helpers/env.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

/** `birdstream …args` in this process, with its output. */
async function birdstream(args: string[], x: Emulator) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => {
    out += String(chunk);
  });
  stderr.on('data', (chunk) => {
    err += String(chunk);
  });
  const code = await run(args, {
    env: { X_BEARER_TOKEN: TOKEN, BIRDSTREAM_BASE_URL: x.url },
    stdout,
    stderr,
  });
  return { code, stdout: out, stderr: err };
}

describe('connections list with an Activity connection open (emulator)', () => {
  it('lists every row, the Activity one without a Connections API id; --status all after it closed', async () => {
    // Real time (timeScale 1): a busy machine cannot make the streams stall and reconnect mid-test.
    const x = await startEmulator({ port: 0, seed: 3, rate: 20, timeScale: 1, bearerToken: TOKEN });
    emu = x;
    const client = new StreamClient({ bearerToken: TOKEN, baseUrl: x.url, clock: x.clock });
    const activity = client.activity();
    const sample = client.sample();
    const connected = Promise.all([
      new Promise((resolve) => activity.on('connected', resolve)),
      new Promise((resolve) => sample.on('connected', resolve)),
    ]);
    const reading = [activity, sample].map(async (stream) => {
      for await (const _ of stream) {
        // consume until closed
      }
    });
    await connected;

    const listed = await birdstream(['connections', 'list', '--json'], x);
    expect(listed.code).toBe(0);
    expect(listed.stderr).toBe('');
    const rows = (
      JSON.parse(listed.stdout) as { connections: { endpoint_name?: string; id: string }[] }
    ).connections;
    expect(rows.map((r) => r.endpoint_name ?? null).sort()).toEqual([null, 'sample_stream']);
    expect(rows.every((r) => typeof r.id === 'string')).toBe(true);
    const table = await birdstream(['connections', 'list'], x);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/\(not named\)/);
    expect(table.stdout).toMatch(/sample_stream/);
    expect(table.stdout).toContain('2 connections.');

    await activity.close();
    await sample.close();
    await Promise.all(reading);
    await x.waitFor('disconnected', undefined, 5000).catch(() => undefined);
    const all = await birdstream(['connections', 'list', '--status', 'all', '--json'], x);
    expect(all.code).toBe(0);
    const closed = (JSON.parse(all.stdout) as { connections: { endpoint_name?: string }[] })
      .connections;
    expect(new Set(closed.map((r) => r.endpoint_name ?? null))).toEqual(
      new Set([null, 'sample_stream']),
    );
    expect(all.stderr).toBe('');
  });
});
