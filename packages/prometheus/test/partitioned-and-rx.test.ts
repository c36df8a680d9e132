import { StreamClient } from '@birdstream/core';
import { parseScrape } from '@birdstream/test-utils';
import { startEmulator } from '@birdstream/testing';
import { Registry } from 'prom-client';
import { describe, expect, test } from 'vitest';
import { BirdstreamMetrics } from '../src/index.js';

describe('BirdstreamMetrics on a partitioned stream', () => {
  test('one set of series per partition; the partitions add up to what the consumer got', async () => {
    const emu = await startEmulator({ seed: 5, rate: 40, timeScale: 20, bearerToken: 't' });
    try {
      const registry = new Registry();
      const metrics = new BirdstreamMetrics({ registry });
      const client = new StreamClient({ bearerToken: 't', baseUrl: emu.url, clock: emu.clock });
      const stream = client.partitions('firehose', { partitions: [1, 2] });
      metrics.trackStream(stream, { name: 'firehose' });
      let received = 0;
      for await (const _ of stream) if (++received === 60) break;
      // Closed: every figure is final, so the scrape and the count are comparable exactly.
      const s = await parseScrape(await registry.metrics());
      expect(s.sum('birdstream_stream_posts_total', { stream: 'firehose' })).toBe(received);
      for (const partition of ['1', '2']) {
        const labels = { stream: 'firehose', partition };
        expect(s.value('birdstream_stream_connections_total', labels)).toBe(1);
        expect(s.value('birdstream_stream_posts_total', labels)).toBeGreaterThan(0);
        expect(s.value('birdstream_stream_state', { ...labels, state: 'closed' })).toBe(1);
        expect(s.value('birdstream_stream_received_bytes_total', labels)).toBeGreaterThan(0);
      }
    } finally {
      await emu.close();
    }
  });
});

describe('BirdstreamMetrics.observer (rx pipelines)', () => {
  test('counts posts from response events and the lifecycle events it is given', async () => {
    const registry = new Registry();
    const metrics = new BirdstreamMetrics({ registry });
    const observe = metrics.observer({ name: 'filter' });
    observe({ type: 'connecting', attempt: 0, url: 'http://x' });
    observe({ type: 'connected', attempt: 0, status: 200, headers: {} });
    observe({ type: 'response' });
    observe({ type: 'response' });
    observe({ type: 'keep-alive', at: 0 });
    observe({ type: 'duplicate', id: '1' });
    observe({
      type: 'stalled',
      timeoutMs: 30_000,
    });
    observe({ type: 'connecting', attempt: 1, url: 'http://x', backfillMinutes: 2 });
    let s = await parseScrape(await registry.metrics());
    expect(s.value('birdstream_stream_state', { state: 'connecting' })).toBe(1);
    observe({ type: 'connected', attempt: 1, status: 200, headers: {} });
    observe({
      type: 'recovery',
      phase: 'completed',
      startTime: 0,
      endTime: 600_000,
      posts: 12,
    });
    s = await parseScrape(await registry.metrics());
    const filter = { stream: 'filter' };
    expect(s.value('birdstream_stream_posts_total', filter)).toBe(2);
    expect(s.value('birdstream_stream_keep_alives_total', filter)).toBe(1);
    expect(s.value('birdstream_stream_duplicates_dropped_total', filter)).toBe(1);
    expect(s.value('birdstream_stream_stalls_total', filter)).toBe(1);
    expect(s.value('birdstream_stream_backfill_requested_seconds_total', filter)).toBe(120);
    expect(s.value('birdstream_stream_recovery_seconds_total', { outcome: 'completed' })).toBe(600);
    expect(s.value('birdstream_stream_recovered_posts_total', filter)).toBe(12);
    // rx streams keep no stats: no series for what only stats know.
    expect(s.samples('birdstream_stream_received_bytes_total')).toEqual([]);
    expect(s.samples('birdstream_stream_messages_total')).toEqual([]);
  });
});
