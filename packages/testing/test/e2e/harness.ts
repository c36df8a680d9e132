import { StreamClient, type StreamLifecycleEvent } from '@birdstream/core';
import { until } from '@birdstream/test-utils';
import { expect } from 'vitest';
import { deliveryReport } from '../../src/engine/delivery-report.js';
import type { Emulator, EmulatorStats, Fault } from '../../src/index.js';

/** What a client run produced, next to what the emulator sent. */
export interface Run {
  delivered: string[];
  error: unknown;
  events: StreamLifecycleEvent[];
  stats: EmulatorStats;
}

export interface RunOptions {
  /** Faults injected before the client connects (stream faults hit the first connection). */
  faults?: Fault[];
  /** Connection faults injected when the first connection drops, so they answer the reconnect. */
  onReconnect?: Fault[];
  /** Stop once this many posts arrived on connections opened after the last fault. @default 15 */
  settlePosts?: number;
  sample?: boolean;
  compression?: boolean;
  /** Whether the faults end the connection (then settling waits for a new one). @default true */
  reconnects?: boolean;
  /** Keep going until at least this many faults were applied. @default the faults given */
  minFaults?: number;
  /**
   * The client's stall timeout, in emulated ms. Longer than core's 30 s by
   * default so that a busy test machine (a 300 ms real hiccup at ×100) does
   * not add reconnects the test did not ask for. @default 90_000
   */
  stallTimeoutMs?: number;
}

/** Resolves once the emulator reports no open stream connection. */
export async function untilClosed(emu: Emulator): Promise<void> {
  await until(
    () => emu.stats().openConnections === 0,
    'the emulator to see every connection closed',
  );
}

/**
 * Runs core's StreamClient (in the emulator's time, `backfill: 'auto'`,
 * dedupe on) until the faults have struck, the client has recovered and
 * received `settlePosts` more posts, or the stream threw.
 */
export async function runClient(emu: Emulator, options: RunOptions = {}): Promise<Run> {
  for (const fault of options.faults ?? []) emu.inject(fault);
  if (options.onReconnect?.length) {
    const off = emu.on('disconnected', () => {
      off();
      for (const fault of options.onReconnect ?? []) emu.inject(fault);
    });
  }
  const client = new StreamClient({
    bearerToken: 'e2e-token',
    baseUrl: emu.url,
    clock: emu.clock,
    compression: options.compression ?? true,
    // Core's 10 s is 100 real ms at ×100: a loaded CI machine can take longer to hand over the
    // response headers, and a connect timeout would add a reconnect the test did not ask for.
    connectTimeoutMs: 120_000,
  });
  const params = { expansions: ['author_id'], 'tweet.fields': ['created_at'] } as const;
  const streamOptions = {
    backfill: 'auto',
    stallTimeoutMs: options.stallTimeoutMs ?? 90_000,
  } as const;
  const stream = options.sample
    ? client.sample(params, streamOptions)
    : client.filter(params, streamOptions);
  const events: StreamLifecycleEvent[] = [];
  for (const type of [
    'connected',
    'disconnected',
    'reconnecting',
    'backfill',
    'duplicate',
    'stalled',
    'payload-invalid',
    'error',
  ] as const) {
    stream.on(type, (event) => events.push(event));
  }
  const expectedFaults =
    options.minFaults ?? (options.faults?.length ?? 0) + (options.onReconnect?.length ?? 0);
  const settle = options.settlePosts ?? 15;
  const delivered: string[] = [];
  let error: unknown;
  let settledFrom: number | undefined;
  try {
    for await (const response of stream) {
      delivered.push(response.data.id);
      const stats = emu.stats();
      const last = stats.faults.at(-1);
      const lastFault = last?.at ?? Number.NEGATIVE_INFINITY;
      const current = stats.connections.at(-1);
      // On a connection opened after the last fault, or still on the one it struck without
      // ending it (a split, a stall, a slow link).
      const recovered =
        options.reconnects === false ||
        (current !== undefined &&
          (current.openedAt > lastFault ||
            (last?.connectionId === current.id && current.closedAt === undefined)));
      if (stats.faults.length >= expectedFaults && recovered) {
        settledFrom ??= delivered.length;
        if (delivered.length - settledFrom >= settle) break;
      }
    }
  } catch (e) {
    error = e;
  }
  await stream.close();
  await untilClosed(emu);
  return { delivered, error, events, stats: emu.stats() };
}

/**
 * Every post the emulator sent was delivered exactly once, except posts
 * still in flight on the last connection when the client closed it; and the
 * client never held two connections at once.
 */
export function expectExactlyOnce(run: Run): void {
  const { delivered, stats } = run;
  const report = deliveryReport(stats.connections, delivered);
  expect(report.duplicatesDelivered, 'a post was delivered twice').toBe(0);
  expect(report.unknown, 'a delivered post was never sent').toBe(0);
  expect(report.lost, 'posts the emulator sent that never reached the loop').toEqual([]);
  expect(report.sent).toBeGreaterThan(0);
  expect(stats.maxConcurrentConnections, 'the client held two connections at once').toBe(1);
  expect(stats.rejected.filter((r) => !r.injected)).toEqual([]);
}
