import { type ChildProcess, spawn } from 'node:child_process';

import {
  ConnectionsClient,
  isTooManyConnectionsError,
  type ReclaimedEvent,
  type ReconnectingEvent,
  StreamClient,
} from '@birdstream/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/index.js';

// The built core (the vitest global setup builds it), as a deployed client process loads it.
const CORE_DIST = new URL('../../../core/dist/index.js', import.meta.url).href;

/**
 * A client process: streams the sample stream, prints READY after its first
 * post, then blocks its thread (posts pile up unread in the socket) until it
 * is killed. A killed process with unread data makes the kernel reset the
 * connection: the emulator (phantomOnReset) goes on counting it, as X does.
 */
const CLIENT = `
import { writeSync } from 'node:fs';
import { StreamClient } from ${JSON.stringify(CORE_DIST)};
const client = new StreamClient({ bearerToken: 'e2e-token', baseUrl: process.env.EMU_URL });
for await (const _ of client.sample({}, { maxRetries: 0 })) {
  writeSync(1, 'READY\\n');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}
`;

let emu: Emulator | undefined;
let child: ChildProcess | undefined;
afterEach(async () => {
  child?.kill('SIGKILL');
  child = undefined;
  await emu?.close();
  emu = undefined;
});

/** Starts the emulator, runs a client process until it streams, SIGKILLs it: a phantom remains. */
async function phantomFromKilledProcess(): Promise<Emulator> {
  const e = await startEmulator({
    seed: 11,
    rate: 20,
    timeScale: 10,
    phantomOnReset: true,
    // an hour: only a kill frees the slot within the test
    phantomTimeoutMs: 3_600_000,
  });
  emu = e;
  const proc = spawn(process.execPath, ['--input-type=module', '-e', CLIENT], {
    env: { PATH: process.env.PATH ?? '', EMU_URL: e.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let stderr = '';
  proc.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  await new Promise<void>((resolve, reject) => {
    proc.stdout?.on('data', (chunk) => {
      if (String(chunk).includes('READY')) resolve();
    });
    proc.on('exit', (code) => reject(new Error(`the client process exited (${code}): ${stderr}`)));
  });
  const phantom = e.waitFor('disconnected');
  // The emulator goes on sending into the blocked process's socket: posts it will never read.
  const sentBefore = e.stats().connections[0]?.postIds.length ?? 0;
  for (let i = 0; i < 5; i++) await e.waitFor('post');
  expect(e.stats().connections[0]?.postIds.length).toBeGreaterThan(sentBefore);
  proc.kill('SIGKILL');
  // Seen as a reset (no FIN): a phantom the emulator goes on counting.
  expect(await phantom).toMatchObject({ reason: 'phantom' });
  return e;
}

describe('a client process killed with SIGKILL leaves a phantom connection', () => {
  it('a restarted client WITH reclaimStaleConnections kills it and reconnects at once', async () => {
    const e = await phantomFromKilledProcess();
    expect(e.stats().connections[0]?.closedBy).toBe('phantom');
    const admin = new ConnectionsClient({ bearerToken: 'e2e-token', baseUrl: e.url, retry: 0 });
    const [phantom] = (await admin.list({ endpoints: ['sample_stream'] })).connections;
    expect(phantom?.id).toBeDefined();

    // Real time from here (×1): the restart's requests take real milliseconds that ×10 would
    // turn into emulated seconds on a slow machine; the client's own delay is checked below.
    e.setTimeScale(1);
    const restartedAt = e.clock.now();
    const client = new StreamClient({ bearerToken: 'e2e-token', baseUrl: e.url, clock: e.clock });
    const stream = client.sample({}, { reclaimStaleConnections: true });
    const reclaimed: ReclaimedEvent[] = [];
    const reconnecting: ReconnectingEvent[] = [];
    stream.on('reclaimed', (event) => reclaimed.push(event));
    stream.on('reconnecting', (event) => reconnecting.push(event));
    for await (const _ of stream) break;

    // the restart met the phantom's 429, then killed exactly the phantom …
    expect(e.stats().rejected).toEqual([
      expect.objectContaining({ status: 429, reason: 'too-many-connections' }),
    ]);
    expect(reclaimed).toHaveLength(1);
    expect(reclaimed[0]?.killed).toEqual([{ uuid: phantom?.id, success: true }]);
    const [gone] = (await admin.list({ status: 'inactive', endpoints: ['sample_stream'] }))
      .connections;
    expect(gone).toMatchObject({ id: phantom?.id, disconnect_reason: 'operator_disconnect' });
    // … and reconnected at once, not after X's 60 s
    expect(reconnecting.map((r) => r.delayMs)).toEqual([0]);
    const reopened = e.stats().connections[1];
    expect(reopened).toBeDefined();
    // Well before X's 60 s: 10 real seconds for four requests is generous on any machine.
    expect((reopened?.openedAt ?? Number.POSITIVE_INFINITY) - restartedAt).toBeLessThan(10_000);
  });

  it('a restarted client WITHOUT reclaim waits per X policy and says why', async () => {
    const e = await phantomFromKilledProcess();
    const client = new StreamClient({ bearerToken: 'e2e-token', baseUrl: e.url, clock: e.clock });
    const stream = client.sample({}, {});
    const first = new Promise<ReconnectingEvent>((resolve) => stream.on('reconnecting', resolve));
    const iterating = (async () => {
      for await (const _ of stream) break;
    })();
    const reconnecting = await first;
    expect(reconnecting.delayMs).toBeGreaterThanOrEqual(60_000);
    expect(reconnecting.failure).toBe('too-many-connections');
    expect(isTooManyConnectionsError(reconnecting.reason)).toBe(true);
    await stream.close();
    await iterating;
    // the phantom is still counted: nothing killed it
    const admin = new ConnectionsClient({ bearerToken: 'e2e-token', baseUrl: e.url, retry: 0 });
    expect((await admin.list({ endpoints: ['sample_stream'] })).connections).toHaveLength(1);
    expect(e.stats().connections).toHaveLength(1);
  });
});
