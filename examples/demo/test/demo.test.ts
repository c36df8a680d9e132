import { type ConnectionStats, deliveryReport } from '@birdstream/testing';
import { describe, expect, it } from 'vitest';
import { Dashboard, dashboardLines } from '../src/dashboard.js';
import { runDemo } from '../src/run-demo.js';

function capture(isTTY: boolean) {
  let text = '';
  return { out: { write: (t: string) => (text += t), isTTY }, text: () => text };
}

describe('the demo', () => {
  it('syncs the rules file, runs both consumers under faults, and reports nothing lost (exit 0)', async () => {
    const { out, text } = capture(false);
    const code = await runDemo(
      [
        '--duration',
        '2',
        '--time-scale',
        '40',
        '--rate',
        '20',
        '--fault-interval',
        '8000',
        '--seed',
        '3',
      ],
      out,
    );
    const output = text();
    expect(output).toMatch(
      /rules sync \(dry run\): would add 4, delete 1, keep 0 — server unchanged: 1 rule\(s\)\./,
    );
    expect(output).toMatch(
      /rules sync: added 4, deleted 1; active rules: coffee, cats, weather, football\./,
    );
    expect(output).toMatch(/fault: /);
    // A reconnect names the emulator's connection number as such, not as the consumer's count.
    expect(output).toMatch(/reconnected \(emulator connection #\d+/);
    expect(output).toMatch(/\[ +\d+ s real; ages in emulated time ×40\]/);
    expect(output).toMatch(/for await +sent \d+, received \d+, lost 0, duplicates delivered 0/);
    expect(output).toMatch(/RxJS pipeline +sent \d+, received \d+, lost 0, duplicates delivered 0/);
    expect(output).toContain('Every post the emulator sent reached each consumer exactly once.');
    expect(output).toMatch(
      /likes firehose delivered 10\/10, timestamp_ms a number in 10; drift reported: data\.timestamp_ms coerced ×10\./,
    );
    const unrecognized = /(\d+) messages reached the 'unrecognized' event/.exec(output)?.[1];
    expect(Number(unrecognized)).toBeGreaterThanOrEqual(3);
    expect(code).toBe(0);
  });

  it('--mode webhook: the filtered stream pushed to a verified webhook receiver, every post once under delivery faults', async () => {
    const { out, text } = capture(false);
    const code = await runDemo(
      ['--mode', 'webhook', '--duration', '2', '--time-scale', '20', '--rate', '20', '--seed', '4'],
      out,
    );
    const output = text();
    expect(output).toMatch(/registered and linked 2 webhooks/);
    expect(output).toMatch(
      /summary: \d+ posts matched, \d+ handed over, lost 0, duplicates delivered 0;/,
    );
    expect(output).toContain('Every post the emulator matched was handed over exactly once.');
    expect(code).toBe(0);
  });

  it('stops early when aborted, and prints help', async () => {
    const controller = new AbortController();
    const { out, text } = capture(false);
    const running = runDemo(
      ['--duration', '60', '--time-scale', '20', '--rate', '10', '--faults', 'none'],
      out,
      controller.signal,
    );
    setTimeout(() => controller.abort(), 300);
    expect(await running).toBe(0);
    expect(text()).toMatch(/summary after 0\.\d s/);
    const help = capture(false);
    expect(await runDemo(['--help'], help.out)).toBe(0);
    expect(help.text()).toMatch(/^Usage: /);
  });
});

describe('demo pieces', () => {
  const connection = (postIds: string[]): ConnectionStats => ({
    id: 1,
    endpoint: 'filter',
    openedAt: 0,
    backfillMinutes: 0,
    userAgent: undefined,
    postIds,
    backfilledIds: [],
    keepAlives: 0,
    bytes: 0,
    gzip: false,
    faults: [],
  });

  it('counts a post as lost unless it was in flight on the last connection', () => {
    const report = deliveryReport(
      [connection(['1', '2', '3']), connection(['3', '4', '5', '6'])],
      ['1', '2', '3', '4', '4'],
    );
    expect(report).toEqual({
      sent: 6,
      received: 5,
      lost: [],
      duplicatesDelivered: 1,
      inFlight: 2,
      unknown: 0,
    });
    const lossy = deliveryReport(
      [connection(['1', '2', '3']), connection(['4', '5'])],
      ['1', '3', '4', '9'],
    );
    expect(lossy.lost).toEqual(['2']);
    expect(lossy.unknown).toBe(1);
    expect(lossy.inFlight).toBe(1);
  });

  it('redraws in place on a terminal', () => {
    const { out, text } = capture(true);
    const dashboard = new Dashboard(out);
    const header = {
      url: 'http://x',
      seed: '1',
      rate: 5,
      timeScale: 10,
      elapsedSeconds: 1,
      durationSeconds: 30,
      faults: ['destroy #1'],
    };
    const consumer = {
      name: 'a',
      delivered: 3,
      postsPerSecond: 2,
      reconnects: 1,
      reasons: ['network'],
      backfills: [1],
      duplicatesDropped: 4,
      heartbeatAgeMs: 1500,
      lagMs: 2_400,
      fallingBehind: 'consumer-saturated',
      error: undefined,
    };
    dashboard.render(header, [consumer]);
    dashboard.render(header, [consumer]);
    const lines = dashboardLines(header, [consumer]);
    expect(text()).toContain(`\x1b[${lines.length}F`);
    // Ages are emulated time, and the view says so (a 20 s heartbeat every 2 real seconds at ×10).
    expect(lines.join('\n')).toMatch(/last heartbeat \(emul\.\) +1\.5 s ago/);
    expect(lines.join('\n')).toContain(
      'ages are in emulated time (×10): a 20 s heartbeat comes every 2 s of real time',
    );
    expect(lines.join('\n')).toMatch(
      /post age p50 \(emul\.\) +2\.4 s \(falling behind: consumer-saturated\)/,
    );
    expect(lines.join('\n')).toMatch(/faults \(emulator\): destroy #1/);
  });
});
