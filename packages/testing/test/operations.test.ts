import { ConnectionsClient, STREAM_ENDPOINT_TABLE, UsageClient } from '@birdstream/core';
import { readFixtureJson } from '@birdstream/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, type EmulatorOptions, startEmulator } from '../src/index.js';
import { untilEmulated } from './helpers/emulated-time.js';
import { rawRequest } from './helpers/raw-stream.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const FILTER = STREAM_ENDPOINT_TABLE.filter.path;
const SAMPLE = STREAM_ENDPOINT_TABLE.sample.path;

async function start(options: EmulatorOptions = {}) {
  emu = await startEmulator({
    seed: 21,
    rate: 20,
    timeScale: 100,
    rules: [{ value: 'cat OR coffee OR rain' }],
    ...options,
  });
  const admin = { bearerToken: 'test-token', baseUrl: emu.url, retry: 0 };
  return { e: emu, connections: new ConnectionsClient(admin), usage: new UsageClient(admin) };
}

describe('Connections API (/2/connections)', () => {
  it('lists active and inactive connections with their endpoint_id, filtered by status and endpoint', async () => {
    const { e, connections } = await start();
    const filter = await rawRequest(e.url, FILTER);
    const sample = await rawRequest(e.url, SAMPLE);
    await sample.until(() => sample.postIds().length >= 1);
    sample.close();
    await e.waitFor('disconnected');
    const active = await connections.list();
    expect(active.connections).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        endpoint_name: 'filtered_stream',
        connected_at: expect.stringMatching(/Z$/),
        client_ip: '127.0.0.1',
      },
    ]);
    const inactive = await connections.list({ status: 'inactive' });
    expect(inactive.connections).toEqual([
      expect.objectContaining({ endpoint_name: 'sample_stream', disconnect_reason: 'client' }),
    ]);
    const onlySample = await connections.list({ status: 'all', endpoints: ['sample_stream'] });
    expect(onlySample.connections.map((c) => c.endpoint_name)).toEqual(['sample_stream']);
    filter.close();
  });

  it('kills by UUID list (typed per-connection results), by endpoint and all; a killed stream ends cleanly', async () => {
    const { e, connections } = await start();
    const filter = await rawRequest(e.url, FILTER);
    const sample = await rawRequest(e.url, SAMPLE);
    const firehose = await rawRequest(e.url, `${STREAM_ENDPOINT_TABLE.firehose.path}?partition=1`);
    const listed = (await connections.list()).connections;
    const sampleUuid = listed.find((c) => c.endpoint_name === 'sample_stream')?.id as string;
    const byUuid = await connections.kill([sampleUuid, 'no-such-uuid']);
    expect(byUuid).toEqual({
      successful: 1,
      failed: 1,
      results: [
        { uuid: sampleUuid, success: true },
        { uuid: 'no-such-uuid', success: false, error_message: 'Connection not found' },
      ],
      errors: [],
    });
    expect(await sample.closed()).toBe('end');
    const byEndpoint = await connections.killEndpoint('firehose_stream');
    expect(byEndpoint.successful).toBe(1);
    expect(await firehose.closed()).toBe('end');
    const all = await connections.killAll();
    expect(all.successful).toBe(1);
    expect(await filter.closed()).toBe('end');
    expect(e.stats().connections.map((c) => c.closedBy)).toEqual(['killed', 'killed', 'killed']);
    expect((await connections.list()).connections).toEqual([]);
  });
});

describe('phantom connections', () => {
  it('a phantom fault blocks the next connect with 429 TooManyConnections until killed through the API', async () => {
    const { e, connections } = await start();
    e.inject({ type: 'phantom', afterPosts: 2 });
    const first = await rawRequest(e.url, FILTER);
    expect(await first.closed()).toBe('reset');
    const blocked = await rawRequest(e.url, FILTER);
    await blocked.closed();
    expect(blocked.status).toBe(429);
    expect(JSON.parse(blocked.text()).connection_issue).toBe('TooManyConnections');
    expect(e.stats().rejected).toEqual([
      expect.objectContaining({ reason: 'too-many-connections', injected: false }),
    ]);
    const [phantom] = (await connections.list({ endpoints: ['filtered_stream'] })).connections;
    expect(phantom?.endpoint_name).toBe('filtered_stream');
    expect((await connections.kill([phantom?.id as string])).successful).toBe(1);
    const after = await rawRequest(e.url, FILTER);
    expect(after.status).toBe(200);
    after.close();
    expect(e.stats().connections[0]?.closedBy).toBe('phantom');
  });

  it('a phantom times out after phantomTimeoutMs (emulated)', async () => {
    const { e, connections } = await start({ timeScale: 200, phantomTimeoutMs: 30_000 });
    e.inject({ type: 'phantom' });
    const first = await rawRequest(e.url, SAMPLE);
    await first.closed();
    const t = e.clock.now();
    const blocked = await rawRequest(e.url, SAMPLE);
    await blocked.closed();
    expect(blocked.status).toBe(429);
    await untilEmulated(e, t + 31_000);
    const after = await rawRequest(e.url, SAMPLE);
    expect(after.status).toBe(200);
    after.close();
    const gone = (await connections.list({ status: 'inactive' })).connections;
    expect(gone[0]).toMatchObject({
      endpoint_name: 'sample_stream',
      disconnect_reason: 'timed_out',
    });
  });

  it('with phantomOnReset, a client that resets its socket (killed process) leaves a phantom; a clean close does not', async () => {
    const { e } = await start({ phantomOnReset: true });
    const clean = await rawRequest(e.url, SAMPLE);
    await clean.until(() => clean.postIds().length >= 1);
    clean.close();
    await e.waitFor('disconnected');
    const next = await rawRequest(e.url, SAMPLE);
    expect(next.status).toBe(200);
    await next.until(() => next.postIds().length >= 1);
    next.reset();
    await e.waitFor('disconnected', (d) => d.reason === 'phantom');
    const blocked = await rawRequest(e.url, SAMPLE);
    await blocked.closed();
    expect(blocked.status).toBe(429);
  });
});

describe('usage (/2/usage/tweets) and the usage cap', () => {
  it('counts each distinct post delivered once per UTC day', async () => {
    const { e, usage } = await start({ startTime: Date.UTC(2026, 2, 3, 10), rate: 50 });
    const first = await rawRequest(e.url, SAMPLE);
    await first.until(() => first.postIds().length >= 30);
    first.close();
    await e.waitFor('disconnected');
    const sent = e.stats().uniquePostIds.length;
    const report = await usage.get({ days: 2 });
    expect(report.usage.project_usage).toBe(sent);
    expect(report.usage.project_cap).toBeUndefined();
    expect(report.usage.daily_project_usage?.usage).toEqual([
      { date: '2026-03-02T00:00:00.000Z', usage: 0 },
      { date: '2026-03-03T00:00:00.000Z', usage: sent },
    ]);
  });

  it('after usageCap posts the stream ends and the next connect is X 429 usage-capped', async () => {
    const { e, usage } = await start({ usageCap: 25, rate: 50 });
    const res = await rawRequest(e.url, SAMPLE);
    expect(await res.closed(8_000)).toBe('end');
    expect(e.stats().connections[0]?.closedBy).toBe('usage-capped');
    const report = await usage.get();
    expect(report.usage.project_cap).toBe(25);
    expect(report.usage.project_usage).toBeGreaterThanOrEqual(25);
    expect(report.percentOfCap).toBeGreaterThanOrEqual(100);
    const again = await rawRequest(e.url, SAMPLE);
    await again.closed();
    expect(again.status).toBe(429);
    const recorded = readFixtureJson(
      'errors/usage_capped_429_monthly_product_cap_2026.json',
    ) as Record<string, unknown>;
    expect({ ...JSON.parse(again.text()), account_id: 0 }).toEqual({ ...recorded, account_id: 0 });
  });
});

describe('slow readers', () => {
  it('a client that reads nothing for slowReaderMs gets the in-band SlowReader message, then the body ends', async () => {
    const { e } = await start({ rate: 800, timeScale: 20, slowReaderMs: 2_000 });
    const res = await rawRequest(e.url, SAMPLE);
    res.pause();
    const dropped = await e.waitFor('disconnected', undefined, 20_000);
    res.resume();
    expect(dropped.reason).toBe('slow-reader');
    await res.closed(8_000);
    const last = res.messages<{ errors?: { disconnect_type: string; detail: string }[] }>().at(-1);
    expect(last?.errors?.[0]).toMatchObject({ disconnect_type: 'SlowReader' });
    expect(last?.errors?.[0]?.detail).toContain('Client too slow');
    expect(e.stats().connections[0]?.closedBy).toBe('slow-reader');
  });
});
