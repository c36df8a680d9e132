import { STREAM_ENDPOINT_TABLE, type StreamEndpointInfo } from '@birdstream/core';
import { afterEach, describe, expect, it } from 'vitest';
import { EMULATOR_TOPICS, type Emulator, startEmulator } from '../src/index.js';
import { snowflakeTime } from '../src/traffic/snowflake.js';
import { sequenceOf, untilEmulated } from './helpers/emulated-time.js';
import { rawRequest } from './helpers/raw-stream.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const ROWS: StreamEndpointInfo[] = Object.values(STREAM_ENDPOINT_TABLE);
/** A rule that matches a post of every topic. */
const BROAD_RULE = Object.values(EMULATOR_TOPICS)
  .map((t) => t.keywords[0])
  .join(' OR ');

/** A path with the query a row requires (`partition=1` where it has partitions). */
function pathOf(row: StreamEndpointInfo, query = ''): string {
  const params = new URLSearchParams(query);
  if (row.partitions && !params.has('partition')) params.set('partition', '1');
  const q = params.toString();
  return q ? `${row.path}?${q}` : row.path;
}

describe("every stream of core's endpoint table", () => {
  it.each(ROWS.map((row) => [row.name, row] as const))(
    '%s: served at its path, messages valid against the row schema',
    async (_name, row) => {
      emu = await startEmulator({
        seed: 4,
        rate: 200,
        timeScale: 100,
        rules: [{ value: BROAD_RULE }],
      });
      const res = await rawRequest(emu.url, pathOf(row));
      expect(res.status).toBe(200);
      await res.until(() => res.messages().length >= 3);
      res.close();
      for (const message of res.messages()) {
        const parsed = row.schema.safeParse(message);
        expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      }
      const [connection] = emu.stats().connections;
      expect(connection?.endpoint).toBe(row.name);
      expect(connection?.partition).toBe(row.partitions ? 1 : undefined);
      // Stats name each item as core deduplicates it.
      expect(connection?.postIds.slice(0, 3)).toEqual(
        res
          .messages()
          .slice(0, 3)
          .map((m) => row.dedupeKey(m)),
      );
    },
  );

  const partitioned = ROWS.filter((row) => row.partitions);
  it.each(partitioned.map((row) => [row.name, row] as const))(
    '%s: a missing or out-of-range partition is X 400 invalid-request naming the range',
    async (_name, row) => {
      emu = await startEmulator({ seed: 4, rate: 5 });
      const max = row.partitions?.max ?? 0;
      const missing = await rawRequest(emu.url, row.path);
      await missing.closed();
      expect(missing.status).toBe(400);
      const body = JSON.parse(missing.text());
      expect(body).toMatchObject({
        title: 'Invalid Request',
        type: 'https://api.twitter.com/2/problems/invalid-request',
        errors: [{ parameters: { partition: [] } }],
      });
      expect(body.errors[0].message).toContain(`1 to ${max}`);
      for (const bad of ['0', String(max + 1), 'x']) {
        const res = await rawRequest(emu.url, `${row.path}?partition=${bad}`);
        await res.closed();
        expect(res.status).toBe(400);
        expect(JSON.parse(res.text()).errors[0]).toEqual({
          parameters: { partition: [bad] },
          message: `The \`partition\` query parameter value [${bad}] is not between 1 and ${max}`,
        });
      }
      expect(emu.stats().rejected.every((r) => r.reason === 'invalid-request')).toBe(true);
    },
  );

  it('refuses a parameter the row does not list (partition on the 1% sample, start_time on it too)', async () => {
    emu = await startEmulator({ seed: 4, rate: 5 });
    const sample = STREAM_ENDPOINT_TABLE.sample;
    for (const query of ['partition=1', 'start_time=2026-01-01T00:00:00Z']) {
      const res = await rawRequest(emu.url, `${sample.path}?${query}`);
      await res.closed();
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text()).errors[0].message).toMatch(
        /^The query parameter \[\w+\] is not one of \[/,
      );
    }
  });
});

describe('partitions', () => {
  it('put every item in exactly one partition: 20 firehose partitions replay a window disjointly and completely', async () => {
    emu = await startEmulator({ seed: 11, rate: 20, timeScale: 200 });
    const t0 = emu.clock.now();
    await untilEmulated(emu, t0 + 30_000);
    const start = new Date(Math.ceil((t0 + 5_000) / 1000) * 1000);
    const end = new Date(start.getTime() + 20_000);
    const window = `start_time=${start.toISOString().replace('.000', '')}&end_time=${end.toISOString().replace('.000', '')}`;
    const firehose = STREAM_ENDPOINT_TABLE.firehose;
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        rawRequest(emu?.url as string, `${firehose.path}?partition=${i + 1}&${window}`),
      ),
    );
    const perPartition: string[][] = [];
    for (const res of responses) {
      expect(res.status).toBe(200);
      expect(await res.closed()).toBe('end');
      perPartition.push(res.postIds());
    }
    const all = perPartition.flat();
    expect(new Set(all).size).toBe(all.length); // no item in two partitions
    expect(perPartition.every((ids) => ids.length > 0)).toBe(true);
    // Every post of the window: consecutive timeline sequence numbers from start to end.
    const sorted = [...all].sort((a, b) => sequenceOf(a) - sequenceOf(b));
    for (let i = 1; i < sorted.length; i++)
      expect(sequenceOf(sorted[i] as string)).toBe(sequenceOf(sorted[i - 1] as string) + 1);
    expect(all.length).toBeGreaterThanOrEqual(20 * 20 - 2);
    for (const id of all) {
      expect(snowflakeTime(id)).toBeGreaterThanOrEqual(start.getTime());
      expect(snowflakeTime(id)).toBeLessThan(end.getTime());
    }
    const stats = emu.stats();
    expect(stats.connections.map((c) => c.partition).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    expect(stats.connections.every((c) => c.closedBy === 'recovery-complete')).toBe(true);
    expect(stats.concurrency).toHaveLength(20);
    expect(stats.concurrency.every((slot) => slot.maxConcurrent === 1)).toBe(true);
  });

  it('count connections per partition: a second connection to the same partition is 429 and shows in stats', async () => {
    emu = await startEmulator({ seed: 11, rate: 5, timeScale: 100 });
    const path = STREAM_ENDPOINT_TABLE.firehose.path;
    const one = await rawRequest(emu.url, `${path}?partition=3`);
    const other = await rawRequest(emu.url, `${path}?partition=4`);
    const again = await rawRequest(emu.url, `${path}?partition=3`);
    expect([one.status, other.status, again.status]).toEqual([200, 200, 429]);
    one.close();
    other.close();
    await again.closed();
    const slots = emu.stats().concurrency;
    expect(slots).toContainEqual({ endpoint: 'firehose', partition: 3, maxConcurrent: 2 });
    expect(slots).toContainEqual({ endpoint: 'firehose', partition: 4, maxConcurrent: 1 });
  });
});

describe('recovery (start_time / end_time)', () => {
  it('replays the window through the live loop and ends the response cleanly at end_time', async () => {
    emu = await startEmulator({
      seed: 12,
      rate: 10,
      timeScale: 200,
      rules: [{ value: BROAD_RULE }],
    });
    const t0 = emu.clock.now();
    await untilEmulated(emu, t0 + 40_000);
    const start = Math.ceil((t0 + 10_000) / 1000) * 1000;
    const end = start + 15_000;
    const iso = (ms: number) => new Date(ms).toISOString().replace('.000', '');
    const res = await rawRequest(
      emu.url,
      `${STREAM_ENDPOINT_TABLE.filter.path}?start_time=${iso(start)}&end_time=${iso(end)}`,
    );
    expect(res.status).toBe(200);
    expect(await res.closed()).toBe('end');
    const ids = res.postIds();
    expect(ids.length).toBeGreaterThan(10);
    for (const id of ids) {
      expect(snowflakeTime(id)).toBeGreaterThanOrEqual(start);
      expect(snowflakeTime(id)).toBeLessThan(end);
    }
    const [connection] = emu.stats().connections;
    expect(connection?.closedBy).toBe('recovery-complete');
    expect(connection?.backfilledIds).toEqual(ids);
  });

  it('without end_time replays from start_time, then stays live', async () => {
    emu = await startEmulator({ seed: 12, rate: 10, timeScale: 200 });
    const t0 = emu.clock.now();
    await untilEmulated(emu, t0 + 20_000);
    const start = new Date(Math.ceil((t0 + 5_000) / 1000) * 1000);
    const res = await rawRequest(
      emu.url,
      `${STREAM_ENDPOINT_TABLE.sample10.path}?partition=2&start_time=${start.toISOString().replace('.000', '')}`,
    );
    const openedAt = emu.clock.now();
    await res.until(() => res.postIds().some((id) => snowflakeTime(id) > openedAt + 2_000));
    res.close();
    await emu.waitFor('disconnected');
    const ids = res.postIds();
    expect(snowflakeTime(ids[0] as string)).toBeLessThan(openedAt);
    expect(emu.stats().connections[0]?.closedBy).toBe('client');
  });

  it("runs beside the live connection, up to X's 2 recovery jobs at once; a third gets 429", async () => {
    emu = await startEmulator({
      seed: 12,
      rate: 10,
      timeScale: 100,
      rules: [{ value: BROAD_RULE }],
    });
    const t0 = emu.clock.now();
    const live = await rawRequest(emu.url, STREAM_ENDPOINT_TABLE.filter.path);
    expect(live.status).toBe(200);
    await untilEmulated(emu, t0 + 10_000);
    const iso = (ms: number) => new Date(ms).toISOString().replace('.000', '');
    const start = Math.ceil(t0 / 1000) * 1000;
    // Without end_time a recovery stays open: two of them hold both slots.
    const window = `${STREAM_ENDPOINT_TABLE.filter.path}?start_time=${iso(start)}`;
    const first = await rawRequest(emu.url, window);
    const second = await rawRequest(emu.url, window);
    const third = await rawRequest(emu.url, window);
    expect([live.status, first.status, second.status, third.status]).toEqual([200, 200, 200, 429]);
    await third.closed();
    expect(JSON.parse(third.text())).toMatchObject({ title: 'ConnectionException' });
    const stats = emu.stats();
    expect(stats.maxConcurrentConnections).toBe(1);
    expect(stats.maxConcurrentRecoveries).toBe(3);
    expect(stats.connections.map((c) => c.recovery)).toEqual([undefined, { start }, { start }]);
    for (const res of [live, first, second]) res.close();
  });

  it('refuses a window older than 24 hours, reversed, or in the future (400)', async () => {
    emu = await startEmulator({ seed: 12, rate: 5 });
    const now = emu.clock.now();
    const iso = (ms: number) =>
      new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000', '');
    const path = STREAM_ENDPOINT_TABLE.filter.path;
    for (const query of [
      `start_time=${iso(now - 25 * 3600_000)}`,
      `start_time=${iso(now - 60_000)}&end_time=${iso(now - 120_000)}`,
      `start_time=${iso(now + 60_000)}`,
      'start_time=yesterday',
    ]) {
      const res = await rawRequest(emu.url, `${path}?${query}`);
      await res.closed();
      expect(res.status, query).toBe(400);
    }
  });
});
