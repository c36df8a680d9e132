import { deliveryReport, type Emulator, startEmulator } from '@birdstream/testing';
import { expect } from 'vitest';
import type { RunningScript } from './run-script.js';

export const TOKEN = 'runtime-tests-token';

/**
 * The emulator on Node, in real time (`timeScale: 1`): the script on the
 * other runtime reads its own clock, so the two clocks must agree for
 * backfill minutes and stall timeouts to mean the same on both sides.
 */
export function startRealTimeEmulator(seed: string): Promise<Emulator> {
  return startEmulator({
    port: 0,
    seed,
    rate: 20,
    timeScale: 1,
    bearerToken: TOKEN,
    rules: [{ value: 'coffee OR cat OR cats OR rain OR goal OR album', tag: 'runtimes' }],
  });
}

/** The post ids a script printed, in order. */
export function postIds(script: RunningScript): string[] {
  return script.messages.flatMap((m) => (m.type === 'post' ? [String(m.id)] : []));
}

/**
 * True once `faults` faults have struck, a connection opened after the last
 * one, and `settle` posts arrived after that: the run has recovered.
 */
export function recovered(emu: Emulator, script: RunningScript, faults: number, settle = 15) {
  let settledFrom: number | undefined;
  return () => {
    const stats = emu.stats();
    if (stats.faults.length < faults) return false;
    const lastFault = stats.faults.at(-1)?.at ?? Number.NEGATIVE_INFINITY;
    if ((stats.connections.at(-1)?.openedAt ?? Number.NEGATIVE_INFINITY) <= lastFault) return false;
    const delivered = postIds(script).length;
    settledFrom ??= delivered;
    return delivered - settledFrom >= settle;
  };
}

/**
 * Every post the emulator sent was delivered exactly once (but those still
 * in flight when the script closed), and never two connections at once.
 */
export function expectEveryPostOnce(emu: Emulator, delivered: string[]): void {
  const stats = emu.stats();
  const report = deliveryReport(stats.connections, delivered);
  expect(report.duplicatesDelivered, 'a post was delivered twice').toBe(0);
  expect(report.unknown, 'a delivered post was never sent').toBe(0);
  expect(report.lost, 'posts the emulator sent that never reached the loop').toEqual([]);
  expect(report.sent).toBeGreaterThan(0);
  expect(stats.maxConcurrentConnections, 'two connections at once').toBe(1);
}

/** The lifecycle events a script printed (`describeEvent` in `scripts/lib.mjs`). */
export function eventsOf(script: RunningScript): { type: string; failure?: string }[] {
  return script.messages.flatMap((m) =>
    m.type === 'event' ? [m.event as { type: string; failure?: string }] : [],
  );
}
