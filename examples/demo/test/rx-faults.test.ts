import { StreamClient } from '@birdstream/core';
import {
  dedupeById,
  fromFilteredStream,
  heartbeatTimeout,
  responses,
  retryStream,
  type SupervisionEvent,
} from '@birdstream/rx';
import {
  deliveryReport,
  type Emulator,
  type EmulatorStats,
  type Fault,
  startEmulator,
} from '@birdstream/testing';
import { firstValueFrom, lastValueFrom, Subject, takeUntil, tap, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { clockScheduler } from '../src/clock-scheduler.js';

/** Resolves once the emulator reports no open stream connection. */
async function untilClosed(emu: Emulator, timeoutMs = 4_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (emu.stats().openConnections > 0) {
    if (performance.now() > deadline) throw new Error('The emulator still has an open connection.');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Every post sent was delivered once (bar those in flight at the end), one connection at a time. */
function expectExactlyOnce(run: { delivered: string[]; stats: EmulatorStats }): void {
  const report = deliveryReport(run.stats.connections, run.delivered);
  expect(report.duplicatesDelivered, 'a post was delivered twice').toBe(0);
  expect(report.unknown, 'a delivered post was never sent').toBe(0);
  expect(report.lost, 'posts the emulator sent that never reached the pipeline').toEqual([]);
  expect(report.sent).toBeGreaterThan(0);
  expect(run.stats.maxConcurrentConnections, 'two connections at once').toBe(1);
  expect(run.stats.rejected.filter((r) => !r.injected)).toEqual([]);
}

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

/** Runs an rx pipeline (heartbeat, retry with backfill, dedupe) in emulated time until it recovered from `faults`. */
async function runRx(faults: Fault[], onReconnect: Fault[] = [], heartbeatMs = 90_000) {
  const e = await startEmulator({
    seed: 'rx-e2e',
    rate: 10,
    timeScale: 100,
    rules: [{ value: 'coffee OR cat OR cats OR rain OR goal OR album', tag: 'rx' }],
  });
  emu = e;
  for (const fault of faults) e.inject(fault);
  if (onReconnect.length > 0) {
    const off = e.on('disconnected', () => {
      off();
      for (const fault of onReconnect) e.inject(fault);
    });
  }
  const scheduler = clockScheduler(e.clock);
  // Core's 10 s connect timeout is 100 real ms at ×100: too short for a loaded CI machine.
  const client = new StreamClient({
    bearerToken: 'rx-token',
    baseUrl: e.url,
    clock: e.clock,
    connectTimeoutMs: 120_000,
  });
  const stop = new Subject<void>();
  const lifecycle: SupervisionEvent['type'][] = [];
  let settledFrom: number | undefined;
  let count = 0;
  const delivered = await lastValueFrom(
    fromFilteredStream(client, { 'tweet.fields': ['created_at'] }, { scheduler }).pipe(
      heartbeatTimeout(heartbeatMs, scheduler),
      retryStream({ backfill: 'auto', scheduler }),
      tap((event) => {
        if (
          event.type === 'reconnecting' ||
          event.type === 'backfill' ||
          event.type === 'disconnected'
        )
          lifecycle.push(event.type);
      }),
      dedupeById(),
      responses(),
      tap(() => {
        count++;
        const stats = e.stats();
        const lastFault = stats.faults.at(-1)?.at ?? Number.NEGATIVE_INFINITY;
        if (
          stats.faults.length >= faults.length + onReconnect.length &&
          (stats.connections.at(-1)?.openedAt ?? 0) > lastFault
        ) {
          settledFrom ??= count;
          if (count - settledFrom >= 15) stop.next();
        }
      }),
      takeUntil(stop),
      toArray(),
    ),
  );
  await untilClosed(e);
  return {
    delivered: delivered.map((r) => r.data.id),
    error: undefined,
    events: [],
    stats: e.stats(),
    lifecycle,
  };
}

describe('rx pipeline against the emulator: every post exactly once, one connection at a time', () => {
  it('destroy: retryStream reconnects with backfill, dedupeById drops the replay', async () => {
    const run = await runRx([{ type: 'destroy', afterPosts: 12 }]);
    expectExactlyOnce(run);
    expect(run.stats.connections.map((c) => c.backfillMinutes)).toEqual([0, 1]);
    expect(run.stats.duplicatesSent).toBeGreaterThan(0);
  });

  it('stall: heartbeatTimeout (watching keep-alives) ends the silent connection', async () => {
    const run = await runRx([{ type: 'stall', ms: 600_000, afterPosts: 10 }], [], 30_000);
    expectExactlyOnce(run);
    expect(run.stats.connections[0]?.closedBy).toBe('client');
  });

  it('operational-disconnect, then a stale-connection 429 on the reconnect', async () => {
    const run = await runRx(
      [{ type: 'operational-disconnect', afterPosts: 10 }],
      [{ type: 'too-many-connections' }],
    );
    expectExactlyOnce(run);
    expect(run.stats.rejected.map((r) => r.reason)).toEqual(['too-many-connections']);
    expect(run.stats.connections.at(-1)?.backfillMinutes).toBeGreaterThanOrEqual(2);
  });

  it('unsubscribing aborts the request: the emulator sees the connection close', async () => {
    const e = await startEmulator({
      seed: 1,
      rate: 10,
      timeScale: 100,
      rules: [{ value: 'coffee OR cat' }],
    });
    emu = e;
    // Core's 10 s connect timeout is 100 real ms at ×100: too short for a loaded CI machine.
    const client = new StreamClient({
      bearerToken: 'rx-token',
      baseUrl: e.url,
      clock: e.clock,
      connectTimeoutMs: 120_000,
    });
    await firstValueFrom(fromFilteredStream(client).pipe(responses()));
    await untilClosed(e);
    expect(e.stats().connections[0]?.closedBy).toBe('client');
  });
});
