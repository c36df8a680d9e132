import {
  STREAM_ENDPOINT_TABLE,
  StreamClient,
  type StreamEndpointInfo,
  type StreamEndpointName,
} from '@birdstream/core';
import { afterEach, describe, expect, it } from 'vitest';
import { deliveryReport } from '../../src/engine/delivery-report.js';
import { type Emulator, startEmulator } from '../../src/index.js';
import { untilClosed } from './harness.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

/** One stream of each family, with the params a consumer would send. */
const CASES: [StreamEndpointName, Record<string, unknown>][] = [
  ['firehose', { partition: 3, expansions: ['author_id'] }],
  ['firehose-ja', { partition: 1 }],
  ['likes-sample10', { partition: 2, expansions: ['liked_tweet_id', 'liked_tweet_author_id'] }],
  ['likes-firehose', { partition: 11 }],
  ['tweets-compliance', { partition: 4 }],
  ['users-compliance', { partition: 1 }],
  ['likes-compliance', {}],
  ['labels', {}],
  ['activity', {}],
];

describe("every stream family end to end with core's StreamClient.stream(): exactly once through a reset and backfill", () => {
  it.each(CASES)('%s', async (name, params) => {
    const row: StreamEndpointInfo = STREAM_ENDPOINT_TABLE[name];
    // ×20: a busy CI machine's pauses stay far below the client's timeouts.
    const e = await startEmulator({ seed: `family-${name}`, rate: 30, timeScale: 20 });
    emu = e;
    e.inject({ type: 'destroy', afterPosts: 12 });
    const client = new StreamClient({
      bearerToken: 'e2e',
      baseUrl: e.url,
      clock: e.clock,
      connectTimeoutMs: 120_000,
    });
    const stream = client.stream<Record<string, unknown>>(name, params, {
      backfill: 'auto',
      stallTimeoutMs: 90_000,
    });
    const delivered: string[] = [];
    for await (const message of stream) {
      const parsed = row.schema.safeParse(message);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      delivered.push(row.dedupeKey(message) as string);
      // Done once five live items of a reconnection (after its backfill replay) arrived.
      const stats = e.stats();
      const last = stats.connections.at(-1);
      if (stats.connectionsOpened >= 2 && last) {
        const replayed = new Set(last.backfilledIds);
        const live = last.postIds.filter((id) => !replayed.has(id));
        if (live.length >= 5 && live.slice(0, 5).every((id) => delivered.includes(id))) break;
      }
    }
    await stream.close();
    await untilClosed(e);
    const stats = e.stats();
    expect(stats.connections[0]?.closedBy).toBe('destroy');
    expect(stats.connections[1]?.backfillMinutes).toBeGreaterThanOrEqual(1);
    expect(stats.connections[1]?.backfilledIds.length).toBeGreaterThan(0);
    const report = deliveryReport(stats.connections, delivered);
    expect(report.duplicatesDelivered, 'an item was delivered twice').toBe(0);
    expect(report.unknown).toBe(0);
    expect(report.lost, 'items sent but never delivered').toEqual([]);
    expect(stats.maxConcurrentConnections).toBe(1);
    if (row.partitions)
      expect(stats.connections.every((c) => c.partition === params.partition)).toBe(true);
  });
});
