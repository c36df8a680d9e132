import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { StreamClient, type StreamLifecycleEvent } from '@birdstream/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningCli, runEmulatorCli } from '../../src/cli/emulator-cli.js';
import { type Emulator, type Fault, startEmulator } from '../../src/index.js';
import { rawRequest, SAMPLE } from '../helpers/raw-stream.js';
import { untilClosed } from './harness.js';

let emu: Emulator | undefined;
let cli: RunningCli | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
  await cli?.stop();
  cli = undefined;
});

/**
 * Every split mode of the fault table, one after the other on the same
 * connection: byte by byte from the very first byte (the client decides the
 * framing from cut bytes), cuts inside multi-byte UTF-8 characters (raw
 * 4-byte emoji: `escapeNonBmp: false`), the terminator alone, a cut inside a
 * two-byte terminator (SSE's `\n\n`), random sizes that ignore message
 * boundaries, and several messages in one chunk.
 */
const SPLITS: Fault[] = [
  { type: 'split', mode: 'byte', messages: 3 },
  { type: 'split', mode: 'utf8', messages: 40, afterPosts: 5 },
  { type: 'split', mode: 'crlf', messages: 30, afterPosts: 45 },
  { type: 'split', mode: 'cr-lf', messages: 30, afterPosts: 75 },
  { type: 'split', mode: 'random', messages: 90, afterPosts: 105 },
  { type: 'split', mode: 'coalesce', messages: 40, afterPosts: 190 },
];
const POSTS = 240;

interface FramingRun {
  delivered: string[];
  /** The client's keep-alive count when it delivered each post. */
  keepAlivesAt: number[];
  events: StreamLifecycleEvent[];
  error: unknown;
  /** The wire as the emulator wrote it: post ids, and `null` for each keep-alive. */
  wire: (string | null)[];
}

async function runFraming(framing: 'lf' | 'sse', compression: boolean): Promise<FramingRun> {
  const e = await startEmulator({
    seed: `framing-${framing}`,
    rate: 10,
    // ×20: a keep-alive every 50 real ms, so a loaded machine's late ticks still leave many.
    timeScale: 20,
    // A keep-alive every emulated second: some fall inside the split modes' runs.
    keepAliveMs: 1_000,
    escapeNonBmp: false,
    framing,
  });
  emu = e;
  const wire: (string | null)[] = [];
  e.on('post', (event) => wire.push(event.id));
  e.on('keep-alive', () => wire.push(null));
  for (const fault of SPLITS) e.inject(fault);
  const client = new StreamClient({
    bearerToken: 'e2e-token',
    baseUrl: e.url,
    clock: e.clock,
    compression,
    connectTimeoutMs: 120_000,
  });
  // A stall timeout far above a loaded machine's hiccups (90 emulated s = 4.5 real s).
  const stream = client.sample({}, { backfill: 'auto', stallTimeoutMs: 90_000 });
  const events: StreamLifecycleEvent[] = [];
  for (const type of [
    'connected',
    'disconnected',
    'reconnecting',
    'stalled',
    'payload-invalid',
    'error',
  ] as const) {
    stream.on(type, (event) => events.push(event));
  }
  const delivered: string[] = [];
  const keepAlivesAt: number[] = [];
  let error: unknown;
  try {
    for await (const response of stream) {
      delivered.push(response.data.id);
      keepAlivesAt.push(stream.stats.keepAlives);
      if (delivered.length >= POSTS) break;
    }
  } catch (err) {
    error = err;
  }
  await stream.close();
  await untilClosed(e);
  return { delivered, keepAlivesAt, events, error, wire };
}

describe("X playground framing ('lf', 'sse') under every split mode, through core's StreamClient", () => {
  for (const framing of ['lf', 'sse'] as const) {
    for (const compression of [true, false]) {
      it(`${framing}, gzip ${compression ? 'on' : 'off'}: every post exactly once, in order, keep-alives counted, no stall, no reconnect`, async () => {
        const run = await runFraming(framing, compression);
        expect(run.error).toBeUndefined();
        const stats = (emu as Emulator).stats();
        expect(stats.connectionsOpened).toBe(1);
        const [connection] = stats.connections;
        expect(connection?.gzip).toBe(compression);
        // Every split fault struck, and every one of them before the client stopped.
        expect(stats.faults.map((f) => f.type)).toEqual(SPLITS.map((f) => f.type));
        expect(run.delivered).toHaveLength(POSTS);
        // In order and exactly once: the first POSTS posts the emulator wrote, as written.
        expect(run.delivered).toEqual(connection?.postIds.slice(0, POSTS));
        expect(run.events.map((ev) => ev.type)).toEqual(['connected']);
        // Keep-alives: when the client hands over a post, it has counted exactly the
        // keep-alives the emulator wrote before that post.
        const before = new Map<string, number>();
        let keepAlives = 0;
        for (const item of run.wire) {
          if (item === null) keepAlives++;
          else before.set(item, keepAlives);
        }
        expect(run.keepAlivesAt).toEqual(run.delivered.map((id) => before.get(id)));
        // (24 emulated seconds send 24; a late tick on a loaded machine merges some.)
        expect(run.keepAlivesAt.at(-1)).toBeGreaterThanOrEqual(3);
      });
    }
  }

  it('lf: bytes that never complete a message for the stall window are a stall (bytesWithoutMessage), then a reconnect with backfill', async () => {
    const e = await startEmulator({ seed: 'lf-drip', rate: 10, timeScale: 100, framing: 'lf' });
    emu = e;
    // After 5 posts, 10 bytes per emulated second: no post (hundreds of bytes) completes
    // within the client's 15 s stall window, yet bytes keep coming.
    e.inject({ type: 'slow', ms: 10 * 60_000, bytesPerSecond: 10, afterPosts: 5 });
    const client = new StreamClient({
      bearerToken: 'e2e-token',
      baseUrl: e.url,
      clock: e.clock,
      compression: false,
      connectTimeoutMs: 120_000,
    });
    const stream = client.sample({}, { backfill: 'auto', stallTimeoutMs: 15_000 });
    const events: StreamLifecycleEvent[] = [];
    for (const type of ['stalled', 'reconnecting', 'backfill'] as const)
      stream.on(type, (event) => events.push(event));
    const delivered: string[] = [];
    for await (const response of stream) {
      delivered.push(response.data.id);
      if (e.stats().connectionsOpened >= 2 && delivered.length >= 30) break;
    }
    await stream.close();
    await untilClosed(e);
    const stats = e.stats();
    const stalled = events.find((ev) => ev.type === 'stalled');
    expect(stalled).toEqual({ type: 'stalled', timeoutMs: 15_000, bytesWithoutMessage: true });
    const reconnect = events.find((ev) => ev.type === 'reconnecting');
    expect(reconnect).toMatchObject({ failure: 'network' });
    expect((reconnect as { reason: { bytesWithoutMessage?: boolean } }).reason).toMatchObject({
      name: 'StallError',
      bytesWithoutMessage: true,
    });
    const [first, second] = stats.connections;
    expect(first?.closedBy).toBe('client');
    // The watchdog fired while bytes were still dripping: some of the 6th post had arrived.
    expect(first?.bytes).toBeGreaterThan(0);
    expect(second?.backfillMinutes).toBeGreaterThanOrEqual(1);
    // Nothing lost or doubled across the stall: backfill replays, dedupe drops the repeats.
    expect(new Set(delivered).size).toBe(delivered.length);
    const sent = [...(first?.postIds ?? []), ...(second?.postIds ?? [])];
    const firstDelivered = sent.indexOf(delivered[0] as string);
    expect(firstDelivered).toBe(0);
    const expected = [...new Set(sent)].slice(0, delivered.length);
    expect(delivered).toEqual(expected);
  });
});

/** The `birdstream` executable of packages/cli (built by the root vitest global setup). */
const BIRDSTREAM_BIN = fileURLToPath(new URL('../../../cli/bin/birdstream.js', import.meta.url));

/** Runs `birdstream …args` to its end and returns its exit code and output. */
function birdstream(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [BIRDSTREAM_BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
    });
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the birdstream CLI against the emulator bin started with --framing', () => {
  for (const framing of ['lf', 'sse'] as const) {
    it(`birdstream-emulator --framing ${framing}: \`birdstream stream --max-posts 5\` prints the first 5 posts and exits 0`, async () => {
      const lines: string[] = [];
      const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
      cli = await runEmulatorCli(
        [
          ...['--port', '0', '--seed', '3', '--rate', '10', '--time-scale', '20'],
          ...['--token', 'cli-token', '--framing', framing, '--quiet'],
        ],
        io,
      );
      const running = cli as RunningCli;
      // The flag reached the emulator: X playground framing on the wire.
      const probe = await rawRequest(running.emulator.url, SAMPLE, {
        headers: { authorization: 'Bearer cli-token' },
      });
      expect(probe.headers['content-type']).toBe('text/event-stream');
      await probe.until(() => probe.text().includes('\n', 10));
      expect(probe.text().startsWith('data: ')).toBe(framing === 'sse');
      expect(probe.text()).not.toContain('\r');
      probe.close();
      await untilClosed(running.emulator);
      // And cut at random on top.
      running.emulator.inject({ type: 'split', mode: 'random', messages: 50 });
      const result = await birdstream(['stream', '--endpoint', 'sample', '--max-posts', '5'], {
        X_BEARER_TOKEN: 'cli-token',
        BIRDSTREAM_BASE_URL: running.emulator.url,
      });
      expect(result.stderr).not.toContain('cli-token');
      expect(result.code, result.stderr).toBe(0);
      const printed = result.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { data: { id: string } }).data.id);
      const [, connection] = running.emulator.stats().connections;
      expect(printed).toEqual(connection?.postIds.slice(0, 5));
      expect(running.emulator.stats().connectionsOpened).toBe(2);
    });
  }
});
