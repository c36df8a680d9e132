import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { rawRequest, SAMPLE, STREAM } from './helpers/raw-stream.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

describe('stats()', () => {
  it('lists exactly the posts the client received, per connection, across faults', async () => {
    emu = await startEmulator({
      seed: 31,
      rate: 10,
      timeScale: 100,
      rules: [{ value: 'coffee OR cat OR rain OR goal OR album' }],
    });
    const received: string[][] = [];
    const keepAlives: number[] = [];
    emu.inject({ type: 'destroy', afterPosts: 5 });
    for (const fault of [
      undefined,
      { type: 'close', afterPosts: 7 } as const,
      { type: 'operational-disconnect', afterPosts: 3 } as const,
    ]) {
      if (fault) emu.inject(fault);
      const res = await rawRequest(emu.url, `${STREAM}?backfill_minutes=1`);
      await res.closed();
      received.push(res.postIds());
      keepAlives.push(res.lines().filter((l) => l === '').length);
    }
    const stats = emu.stats();
    expect(stats.connections.map((c) => c.postIds)).toEqual(received);
    expect(stats.connections.map((c) => c.keepAlives)).toEqual(keepAlives);
    expect(stats.connections.map((c) => c.closedBy)).toEqual([
      'destroy',
      'close',
      'operational-disconnect',
    ]);
    expect(stats.connections.map((c) => c.faults)).toEqual([
      ['destroy'],
      ['close'],
      ['operational-disconnect'],
    ]);
    expect(stats.connectionsOpened).toBe(3);
    expect(stats.openConnections).toBe(0);
    expect(stats.maxConcurrentConnections).toBe(1);
    const all = received.flat();
    expect(stats.postsSent).toBe(all.length);
    expect(stats.uniquePostIds).toEqual([...new Set(all)]);
    expect(stats.duplicatesSent).toBe(all.length - new Set(all).size);
    expect(stats.duplicatesSent).toBeGreaterThan(0);
    for (const c of stats.connections) {
      expect(c.backfillMinutes).toBe(1);
      expect(c.closedAt).toBeGreaterThanOrEqual(c.openedAt);
    }
  });

  it('stays exact with gzip, even when the connection is reset', async () => {
    emu = await startEmulator({ seed: 32, rate: 10, timeScale: 100, gzip: 'always' });
    emu.inject({ type: 'destroy', afterPosts: 20 });
    const res = await rawRequest(emu.url, SAMPLE);
    expect(await res.closed()).toBe('reset');
    expect(res.postIds()).toHaveLength(20);
    expect(emu.stats().connections[0]?.postIds).toEqual(res.postIds());
  });

  it('counts bytes, keep-alives and requests', async () => {
    emu = await startEmulator({ seed: 33, rate: 1, timeScale: 200, keepAliveMs: 500 });
    emu.inject({ type: 'close', afterPosts: 3 });
    const res = await rawRequest(emu.url, SAMPLE);
    expect(await res.closed()).toBe('end');
    const c = emu.stats().connections[0];
    expect(c?.bytes).toBe(Buffer.concat(res.chunks).length);
    expect(c?.keepAlives).toBe(res.lines().filter((l) => l === '').length);
    expect(c?.keepAlives).toBeGreaterThanOrEqual(1);
    expect(emu.stats().keepAlivesSent).toBe(c?.keepAlives);
    expect(emu.stats().requests).toBe(1);
  });

  it('returns a snapshot that later traffic does not change', async () => {
    emu = await startEmulator({ seed: 34, rate: 10, timeScale: 100 });
    const res = await rawRequest(emu.url, SAMPLE);
    await res.until(() => res.postIds().length >= 3);
    const snapshot = emu.stats();
    const count = snapshot.connections[0]?.postIds.length;
    await res.until(() => res.postIds().length >= (count ?? 0) + 5);
    res.close();
    expect(snapshot.connections[0]?.postIds.length).toBe(count);
    expect(snapshot.openConnections).toBe(1);
  });
});

describe('events', () => {
  it('emits connected, post, fault and disconnected events in order', async () => {
    emu = await startEmulator({ seed: 35, rate: 10, timeScale: 100 });
    const seen: string[] = [];
    emu.on('connected', (e) => seen.push(`connected ${e.connectionId}`));
    const off = emu.on('post', () => seen.push('post'));
    emu.on('fault', (e) => seen.push(`fault ${e.fault.type}`));
    emu.on('disconnected', (e) => seen.push(`disconnected ${e.reason}`));
    emu.inject({ type: 'close', afterPosts: 2 });
    const res = await rawRequest(emu.url, SAMPLE);
    await res.closed();
    off();
    expect(seen.slice(0, 5)).toEqual([
      'connected 1',
      'post',
      'post',
      'fault close',
      'disconnected close',
    ]);
  });
});
