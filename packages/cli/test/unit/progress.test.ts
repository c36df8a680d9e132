import { PassThrough } from 'node:stream';
import type { StreamStats } from '@birdstream/core';
import { ManualClock } from '@birdstream/test-utils';
import { describe, expect, it } from 'vitest';
import { ProgressReporter } from '../../src/output/progress.js';
import { RunStats } from '../../src/stream/run-stats.js';

/** A stand-in for core's EndpointStream: its `stats` snapshot, which the test moves. */
function coreStats(): { stats: StreamStats } {
  return {
    stats: {
      received: 0,
      delivered: 0,
      duplicates: 0,
      reconnects: 0,
      keepAlives: 0,
      invalid: 0,
      unrecognized: 0,
      bytes: 0,
      lastByteAt: undefined,
    },
  };
}

/** The run's stats, attached to a fake core stream; `post()` delivers, `keepAlive()` beats. */
function runStats(clock: ManualClock) {
  const source = coreStats();
  const stats = new RunStats(clock);
  stats.attach(source);
  return {
    stats,
    source,
    post(n = 1) {
      source.stats.delivered += n;
      source.stats.received += n;
      source.stats.lastByteAt = clock.now();
    },
    reconnecting(delayMs: number) {
      source.stats.reconnects += 1;
      stats.recordReconnecting(delayMs);
    },
  };
}

/** What a terminal shows last: the text after the last clear-line. */
function lastDraw(text: string): string {
  return text.slice(text.lastIndexOf('\r\x1b[2K') + 5);
}

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk) => {
    text += String(chunk);
  });
  return { stream, text: () => text };
}

describe('RunStats', () => {
  it("reads core's counters and computes posts/s over the last 10 seconds", async () => {
    const clock = new ManualClock();
    const run = runStats(clock);
    const { stats } = run;
    expect(stats.sinceHeartbeatMs()).toBeUndefined();
    expect(stats.posts).toBe(0);
    run.post(50);
    expect(stats.posts).toBe(50);
    run.source.stats.duplicates = 3;
    run.source.stats.invalid = 2;
    expect([stats.duplicates, stats.invalid]).toEqual([3, 2]);
    await clock.advance(5000);
    expect(stats.recentRate()).toBe(10);
    await clock.advance(20_000);
    expect(stats.recentRate()).toBe(0);
    expect(stats.averageRate()).toBe(2);
    expect(stats.sinceHeartbeatMs()).toBe(25_000);
    run.source.stats.lastByteAt = clock.now(); // a keep-alive
    expect(stats.sinceHeartbeatMs()).toBe(0);
  });
});

describe('ProgressReporter', () => {
  it('prints a plain line every interval when stderr is not a terminal', async () => {
    const clock = new ManualClock();
    const run = runStats(clock);
    const { stats } = run;
    const out = capture();
    const progress = new ProgressReporter({
      stream: out.stream,
      tty: false,
      clock,
      stats,
      intervalMs: 10_000,
    });
    progress.start();
    stats.recordConnected();
    await clock.advance(5_000);
    run.post(30);
    await clock.advance(4_999);
    expect(out.text()).toBe('');
    await clock.advance(1);
    expect(out.text()).toBe(
      'birdstream: 10s: 30 posts (3.0/s), 0 reconnects, last heartbeat 5.0s ago, connected\n',
    );
    run.reconnecting(5000);
    await clock.advance(10_000);
    expect(out.text().split('\n')[1]).toContain('1 reconnect,');
    progress.stop();
    expect(clock.pendingTimers).toBe(0);
  });

  it('redraws one line on a terminal and keeps event lines above it', async () => {
    const clock = new ManualClock();
    const run = runStats(clock);
    const { stats } = run;
    const out = capture();
    const progress = new ProgressReporter({ stream: out.stream, tty: true, clock, stats });
    progress.start();
    expect(out.text()).toBe(
      '\r\x1b[2Kconnecting · 0 posts · 0.0 posts/s · 0 reconnects · no heartbeat yet · 0.0s',
    );
    stats.recordConnected();
    run.post();
    await clock.advance(1000);
    expect(lastDraw(out.text())).toBe(
      'connected · 1 post · 1.0 posts/s · 0 reconnects · last heartbeat 1.0s ago · 1.0s',
    );
    progress.log('birdstream: reconnected.');
    expect(out.text()).toContain('\r\x1b[2Kbirdstream: reconnected.\n\r\x1b[2Kconnected · 1 post');
    run.reconnecting(16_000);
    await clock.advance(1000);
    expect(lastDraw(out.text())).toBe(
      'reconnecting in 15s · 1 post · 0.5 posts/s · 1 reconnect · last heartbeat 2.0s ago · 2.0s',
    );
    progress.stop();
    expect(out.text().endsWith('\r\x1b[2K')).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('ProgressReporter: lag and budget', () => {
  it("shows the age of recent posts, the consumer's share and the budget once core reports them", () => {
    const clock = new ManualClock();
    const run = runStats(clock);
    const out = capture();
    const progress = new ProgressReporter({
      stream: out.stream,
      tty: true,
      clock,
      stats: run.stats,
    });
    expect(progress.line()).not.toMatch(/age p50|consumer|budget/);
    run.source.stats.lag = {
      ageMs: { p50: 2_400, max: 3_000 },
      holdMs: { p50: 10, max: 20 },
      consumerShare: 0.934,
      waitingMessages: 0,
      waitingBytes: 0,
      receivedPerSecond: 10,
      deliveredPerSecond: 10,
      fallingBehind: 'consumer-saturated',
    };
    run.source.stats.usage = {
      period: 'run',
      periodStart: clock.now(),
      periodEnd: undefined,
      delivered: 80,
      limit: 100,
      percent: 80,
      projected: undefined,
    };
    expect(progress.line()).toContain(
      'age p50 2.4s, consumer 93% (falling behind) · budget 80/100 (80%)',
    );
    expect(progress.plainLine()).toContain(
      'age p50 2.4s, consumer 93% (falling behind), budget 80/100 (80%),',
    );
  });
});
