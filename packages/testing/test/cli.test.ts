import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  describeCliError,
  type RunningCli,
  runEmulatorCli,
  UsageError,
} from '../src/cli/emulator-cli.js';
import { api, RULES, rawRequest, STREAM } from './helpers/raw-stream.js';

const STREAM_SAMPLE = '/2/tweets/sample/stream';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

let running: RunningCli | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe('birdstream-emulator', () => {
  it('starts on the given port, prints the URL and a token hint without the token, logs connections, and stops cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-cli-'));
    const rulesFile = join(dir, 'rules.json');
    writeFileSync(rulesFile, JSON.stringify([{ value: 'coffee OR cat', tag: 'demo' }]));
    const { io, out, err } = capture();
    running = await runEmulatorCli(
      [
        '--port',
        '0',
        '--seed',
        '1',
        '--rate',
        '10',
        '--time-scale',
        '100',
        '--token',
        'cli-secret',
        '--rules',
        rulesFile,
      ],
      io,
    );
    const url = running?.emulator.url as string;
    expect(out[0]).toBe(`birdstream emulator listening on ${url}`);
    expect(out.join('\n')).toContain('seed 1 · 10 posts/s · time ×100 · faults: none');
    expect(out.join('\n')).toContain('bearer token: required');
    expect(out.join('\n')).not.toContain('cli-secret');

    expect((await api(url, RULES, { token: 'wrong' })).status).toBe(401);
    const res = await rawRequest(url, STREAM, { headers: { authorization: 'Bearer cli-secret' } });
    expect(res.status).toBe(200);
    await res.until(() => res.messages().length >= 2);
    expect(res.messages()[0]?.matching_rules?.[0]?.tag).toBe('demo');
    await running?.stop();
    expect(await res.closed()).not.toBe('open');
    expect(err.some((l) => /^connected +#1 filter/.test(l))).toBe(true);
    expect(err.some((l) => /^disconnected #1 \(shutdown\)/.test(l))).toBe(true);
    expect(out.at(-1)).toMatch(/^stopped: 1 connections, \d+ posts sent/);
    await expect(fetch(`${url}${RULES}`)).rejects.toThrow();
  });

  it('prints help', async () => {
    const { io, out } = capture();
    expect(await runEmulatorCli(['--help'], io)).toBeUndefined();
    expect(out[0]).toMatch(/^Usage: birdstream-emulator/);
  });

  it('refuses bad arguments with one clear line', async () => {
    const cases: [string[], RegExp][] = [
      [['--bogus'], /bogus.*--help/],
      [['--rate', 'fast'], /--rate must be a number/],
      [['--port', '0', '--faults', '/nonexistent/faults.json'], /Cannot read the faults file/],
      [['--port', '0', '--start-time', 'yesterday'], /--start-time/],
      [['--port', '0', '--time-scale', '0'], /timeScale/],
    ];
    for (const [argv, message] of cases) {
      const { io } = capture();
      const error = await runEmulatorCli(argv, io).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, argv.join(' ')).toBeDefined();
      expect(describeCliError(error)).toMatch(message);
      expect(describeCliError(error)).not.toMatch(/\n/);
    }
  });

  it('has a flag for every option its README documents, and control endpoints for emulated time and faults', async () => {
    const { io, out } = capture();
    running = await runEmulatorCli(
      [
        ...['--port', '0', '--rate', '20', '--time-scale', '50', '--max-connections', '2'],
        ...['--keep-alive', '5000', '--gzip', 'never', '--raw-utf8', '--no-rate-limits'],
        ...['--max-rules', '3', '--max-rule-length', '40', '--slow-reader-bytes', '8388608'],
      ],
      io,
    );
    const url = running?.emulator.url as string;
    // --max-connections 2: two connections to one stream are allowed, a third is 429.
    const a = await rawRequest(url, STREAM_SAMPLE);
    const b = await rawRequest(url, STREAM_SAMPLE);
    const c = await rawRequest(url, STREAM_SAMPLE);
    expect([a.status, b.status, c.status]).toEqual([200, 200, 429]);
    // --gzip never: no compression; --no-rate-limits: not X's 50 connects per 15 minutes.
    expect(a.headers['content-encoding']).toBeUndefined();
    expect(a.headers['x-rate-limit-limit']).not.toBe('50');
    // --max-rules 3, --max-rule-length 40: X's refusals.
    const long = await api(url, RULES, {
      method: 'POST',
      body: JSON.stringify({ add: [{ value: 'x'.repeat(41) }] }),
    });
    expect(JSON.stringify(long.json)).toMatch(/40/);

    // GET /_emulator/clock: emulated time for a client in another process.
    const clock = (await (await fetch(`${url}/_emulator/clock`)).json()) as {
      now: number;
      timeScale: number;
    };
    expect(clock.timeScale).toBe(50);
    expect(Math.abs(clock.now - running!.emulator.clock.now())).toBeLessThan(60_000);
    // POST /_emulator/faults: a fault from a shell; a bad one is a 400 that says what to send.
    const injected = await fetch(`${url}/_emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ type: 'outage', ms: 480_000 }),
    });
    expect(injected.status).toBe(202);
    expect((await rawRequest(url, '/2/tweets/sample10/stream?partition=1')).status).toBe(503);
    const bad = await fetch(`${url}/_emulator/faults`, { method: 'POST', body: '{"type":"x"}' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { detail: string }).detail).toMatch(
      /takes one fault as JSON, such as \{"type":"outage","ms":480000\}/,
    );
    expect(out.join('\n')).toContain(`GET ${url}/_emulator/clock`);
    for (const res of [a, b]) res.close();
  });

  it('reports a port in use', async () => {
    const first = await runEmulatorCli(['--port', '0', '--quiet'], capture().io);
    running = first;
    const port = String(first?.emulator.port);
    const error = await runEmulatorCli(['--port', port], capture().io).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(new RegExp(`Port ${port} is already in use`));
  });

  it('runs a fault script from a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-cli-'));
    const file = join(dir, 'faults.json');
    writeFileSync(file, JSON.stringify([{ type: 'close', afterPosts: 2 }]));
    const { io, err } = capture();
    running = await runEmulatorCli(
      ['--port', '0', '--rate', '10', '--time-scale', '100', '--faults', file],
      io,
    );
    const res = await rawRequest(running?.emulator.url as string, '/2/tweets/sample/stream');
    expect(await res.closed()).toBe('end');
    expect(res.postIds()).toHaveLength(2);
    expect(err.some((l) => /^fault +close on #1/.test(l))).toBe(true);
  });

  it('--framing lf serves X playground framing; --usage-cap and --phantom flags reach the emulator', async () => {
    const { io } = capture();
    running = await runEmulatorCli(
      ['--port', '0', '--rate', '20', '--time-scale', '100', '--framing', 'lf', '--usage-cap', '5'],
      io,
    );
    const res = await rawRequest(running?.emulator.url as string, '/2/tweets/sample/stream');
    expect(res.headers['content-type']).toBe('text/event-stream');
    expect(await res.closed()).toBe('end');
    const body = res.body().toString('utf8');
    expect(body).not.toContain('\r');
    expect(body.split('\n').filter((l) => l !== '').length).toBeGreaterThanOrEqual(5);
    expect(running?.emulator.stats().connections[0]?.closedBy).toBe('usage-capped');
  });

  it("--drift playground serves X's playground shapes: SSE and delete.like on the likes compliance stream", async () => {
    const { io } = capture();
    running = await runEmulatorCli(
      [
        '--port',
        '0',
        '--rate',
        '20',
        '--time-scale',
        '100',
        '--drift',
        'playground',
        '--usage-cap',
        '3',
      ],
      io,
    );
    const res = await rawRequest(running?.emulator.url as string, '/2/likes/compliance/stream');
    expect(res.headers['content-type']).toBe('text/event-stream');
    await res.closed();
    const events = res
      .body()
      .toString('utf8')
      .split('\n')
      .filter((l) => l.startsWith('data: '));
    expect(events.length).toBeGreaterThan(0);
    const first = JSON.parse(events[0]!.slice(6)) as { data: { delete: Record<string, unknown> } };
    expect(Object.keys(first.data.delete).sort()).toEqual(['event_at', 'like']);
  });

  it('refuses an unknown --drift', async () => {
    await expect(runEmulatorCli(['--port', '0', '--drift', 'chaos'], capture().io)).rejects.toThrow(
      /drift/,
    );
  });

  it('refuses an unknown --framing', async () => {
    await expect(runEmulatorCli(['--port', '0', '--framing', 'cr'], capture().io)).rejects.toThrow(
      /framing/,
    );
  });
});
