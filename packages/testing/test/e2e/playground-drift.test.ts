import {
  complianceEvent,
  STREAM_ENDPOINT_TABLE,
  StreamClient,
  type StreamEndpointName,
  type StreamLifecycleEvent,
} from '@birdstream/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/index.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

/** Reads `count` messages of `name` from an emulator serving X's playground shapes, with the default client. */
async function readDrifted(name: StreamEndpointName, params: object, count: number) {
  // Real time: a busy machine's pauses stay far below the client's stall timeout.
  const e = await startEmulator({ seed: `drift-${name}`, rate: 40, drift: 'playground' });
  emu = e;
  const client = new StreamClient({ bearerToken: 'e2e', baseUrl: e.url, clock: e.clock });
  const stream = client.stream<Record<string, unknown>>(name, params as never, {
    schemaDrift: { intervalMs: 60_000 },
  });
  const events: StreamLifecycleEvent[] = [];
  for (const type of ['unrecognized', 'schema-drift', 'payload-invalid', 'connected'] as const) {
    stream.on(type, (event) => events.push(event));
  }
  const delivered: Record<string, unknown>[] = [];
  let seen = 0;
  stream.on('unrecognized', () => {
    if (++seen >= count) void stream.close();
  });
  for await (const message of stream) {
    delivered.push(message);
    if (++seen >= count) break;
  }
  await stream.close();
  return { delivered, events, stats: stream.stats, emulator: e };
}

const of = <T extends StreamLifecycleEvent['type']>(events: StreamLifecycleEvent[], type: T) =>
  events.filter((e): e is Extract<StreamLifecycleEvent, { type: T }> => e.type === type);

describe("drift: 'playground' — X's own emulator's shapes and framing; the default client delivers", () => {
  it('likes: timestamp_ms as a string arrives as a number; the drift is reported once, with its count', async () => {
    const { delivered, events, stats } = await readDrifted(
      'likes-firehose',
      { partition: 1, 'like_with_tweet_author.fields': ['created_at', 'timestamp_ms'] },
      5,
    );
    expect(delivered).toHaveLength(5);
    for (const like of delivered) {
      expect(typeof (like.data as { timestamp_ms?: unknown }).timestamp_ms).toBe('number');
    }
    expect(
      of(events, 'schema-drift').map((e) => [e.drift.path, e.drift.kind, e.drift.count]),
    ).toEqual([['data.timestamp_ms', 'coerced', 5]]);
    expect(stats.drift?.[0]?.count).toBe(5);
    expect(of(events, 'payload-invalid')).toEqual([]);
  });

  it('likes compliance (SSE): delete.like is the unlike', async () => {
    const { delivered, events } = await readDrifted('likes-compliance', {}, 3);
    expect(delivered).toHaveLength(3);
    for (const message of delivered) {
      expect(complianceEvent(message.data as never)?.kind).toBe('favorite_delete');
      expect(STREAM_ENDPOINT_TABLE['likes-compliance'].dedupeKey(message)).toMatch(
        /^favorite_delete:\d+:[0-9a-f]{32}:/,
      );
    }
    expect(of(events, 'schema-drift')).toEqual([]);
  });

  it('activity: the event is delivered, the errors item without type/title set aside and reported', async () => {
    const { delivered, events } = await readDrifted('activity', {}, 3);
    expect(delivered).toHaveLength(3);
    expect(
      of(events, 'schema-drift').map((e) => [e.drift.path, e.drift.kind, e.drift.count]),
    ).toEqual([['errors[]', 'set-aside', 3]]);
  });

  it('users compliance counters and label messages without data: unrecognized events, never silent', async () => {
    const users = await readDrifted('users-compliance', { partition: 1 }, 3);
    expect(users.delivered).toEqual([]);
    expect(of(users.events, 'unrecognized').map((e) => e.reason)).toEqual([
      'identity-missing',
      'identity-missing',
      'identity-missing',
    ]);
    expect(users.stats.unrecognized).toBe(3);
    const labels = await readDrifted('labels', {}, 2);
    expect(of(labels.events, 'unrecognized').map((e) => e.reason)).toEqual([
      'unknown-type',
      'unknown-type',
    ]);
  });
});
