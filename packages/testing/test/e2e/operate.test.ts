import {
  type EndpointStream,
  isBudgetExhaustedError,
  StreamClient,
  type StreamLifecycleEvent,
} from '@birdstream/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../src/index.js';
import { untilClosed } from './harness.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  emu = await startEmulator({ seed: 'operate', rate: 10, timeScale: 100, ...options });
  return emu;
}

/** Core's client in the emulator's time (see harness.ts for the generous timeouts). */
function clientFor(e: Emulator): StreamClient {
  return new StreamClient({
    bearerToken: 'e2e-token',
    baseUrl: e.url,
    clock: e.clock,
    connectTimeoutMs: 120_000,
  });
}

function record(stream: EndpointStream<unknown>) {
  const events: StreamLifecycleEvent[] = [];
  for (const type of [
    'connected',
    'stream-errors',
    'disconnected',
    'reconnecting',
    'error',
    'usage',
    'budget-warning',
    'lag',
    'falling-behind',
  ] as const) {
    stream.on(type, (event) => events.push(event));
  }
  return events;
}

describe('operating a stream against the emulator (issue 11)', () => {
  it('a budget warns before the limit and stops the stream cleanly at it', async () => {
    const e = await start();
    const stream = clientFor(e).sample(
      {},
      { budget: { maxPosts: 20, period: 'run', warnAt: 0.5 }, stallTimeoutMs: 90_000 },
    );
    const events = record(stream as EndpointStream<unknown>);
    const delivered: string[] = [];
    let error: unknown;
    try {
      for await (const response of stream) delivered.push(response.data.id);
    } catch (caught) {
      error = caught;
    }
    expect(isBudgetExhaustedError(error)).toBe(true);
    // Exactly the first 20 posts the emulator sent, in order: the last one was delivered.
    await untilClosed(e);
    const [connection] = e.stats().connections;
    expect(delivered).toEqual(connection?.postIds.slice(0, 20));
    // The warning came before the limit: at post 10.
    const warnings = events.filter((ev) => ev.type === 'budget-warning');
    expect(warnings.map((w) => w.usage.delivered)).toEqual([10]);
    const usage = events.flatMap((ev) => (ev.type === 'usage' ? [ev.usage.delivered] : []));
    expect(usage.at(-1)).toBe(20);
    // Closed by the client, no reconnect, no connection left.
    expect(e.stats()).toMatchObject({ connectionsOpened: 1, openConnections: 0 });
    expect(connection?.closedBy).toBe('client');
    expect(events.some((ev) => ev.type === 'reconnecting')).toBe(false);
  });

  it('a deliberately slow consumer gets falling-behind before the slow-reader disconnect, which is named', async () => {
    // 200 posts per emulated second; the consumer takes 50 emulated ms per post (20 per second).
    const e = await start({ rate: 200, timeScale: 10, slowReaderMs: 5_000 });
    let dropped = false;
    /** How many client events there were when the emulator dropped the reader. */
    let droppedAtEvent: number | undefined;
    e.on('disconnected', (event) => {
      if (event.reason !== 'slow-reader') return;
      dropped = true;
      droppedAtEvent = events.length;
    });
    const stream = clientFor(e).sample(
      {},
      { lag: { intervalMs: 500 }, maxRetries: 0, stallTimeoutMs: 90_000 },
    );
    const events = record(stream as EndpointStream<unknown>);
    let error: unknown;
    try {
      for await (const _ of stream) {
        // Once dropped, read the rest of what was sent at full speed.
        if (dropped) continue;
        await new Promise<void>((resolve) => e.clock.setTimeout(resolve, 50));
      }
    } catch (caught) {
      error = caught;
    }
    await stream.close();
    expect(dropped).toBe(true);
    const types = events.map((ev) => ev.type);
    const behind = types.indexOf('falling-behind');
    expect(behind).toBeGreaterThanOrEqual(0);
    // The warning came while the consumer was still being served, before the emulator dropped it.
    expect(droppedAtEvent).toBeDefined();
    expect(behind).toBeLessThan(droppedAtEvent!);
    const fell = events[behind];
    expect(fell?.type === 'falling-behind' && fell.reason).toBe('consumer-saturated');
    // The disconnect is named: the in-band SlowReader message and the error that ended the stream.
    const named = events.find((ev) => ev.type === 'stream-errors' && ev.disconnect);
    expect(named?.type === 'stream-errors' && named.reason).toMatch(
      /reading too slowly \(SlowReader/,
    );
    expect((error as Error | undefined)?.message).toMatch(/reading too slowly \(SlowReader/);
    expect(e.stats().connections[0]?.closedBy).toBe('slow-reader');
  });
});
