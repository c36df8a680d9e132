import { type Scrape, scrape } from '@birdstream/test-utils';
import { expect, it } from 'vitest';
import { runDemo } from '../src/run-demo.js';

it('--metrics-port: a scrape during the demo shows both consumers’ posts, reconnects and state', async () => {
  let text = '';
  const controller = new AbortController();
  const running = runDemo(
    [
      ...['--duration', '120', '--time-scale', '10', '--rate', '20'],
      ...['--fault-interval', '5000', '--seed', '3', '--metrics-port', '0'],
    ],
    { write: (t) => (text += t), isTTY: false },
    controller.signal,
  );
  // Bounded by the demo's own --duration: it ends (and the scrapes fail) if the figures never come.
  let last: Scrape | undefined;
  try {
    const deadline = Date.now() + 110_000;
    let url: string | undefined;
    while (Date.now() < deadline) {
      url ??= /metrics of both consumers on (http:\/\/\S+) /.exec(text)?.[1];
      if (url !== undefined) {
        last = await scrape(url);
        const ready = ['for-await', 'rx'].every(
          (stream) =>
            (last?.value('birdstream_stream_posts_total', { stream }) ?? 0) > 0 &&
            (last?.sum('birdstream_stream_reconnects_total', { stream }) ?? 0) > 0,
        );
        if (ready) break;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    controller.abort();
  }
  const code = await running;
  expect(code, text).toBe(0);
  const s = last!;
  for (const stream of ['for-await', 'rx']) {
    expect(s.value('birdstream_stream_posts_total', { stream })).toBeGreaterThan(0);
    expect(s.sum('birdstream_stream_reconnects_total', { stream })).toBeGreaterThan(0);
    expect(s.value('birdstream_stream_connections_total', { stream })).toBeGreaterThanOrEqual(1);
    expect(s.sum('birdstream_stream_state', { stream })).toBe(1);
  }
  // Only core's stream keeps stats: bytes and the last byte are the for-await consumer's.
  expect(
    s.value('birdstream_stream_received_bytes_total', { stream: 'for-await' }),
  ).toBeGreaterThan(0);
  expect(s.samples('birdstream_stream_received_bytes_total', { stream: 'rx' })).toEqual([]);
  // What the summary says each consumer received is at least what the scrape counted.
  for (const [name, stream] of [
    ['for await', 'for-await'],
    ['RxJS pipeline', 'rx'],
  ] as const) {
    const received = Number(new RegExp(`${name} +sent \\d+, received (\\d+)`).exec(text)?.[1]);
    expect(received).toBeGreaterThanOrEqual(s.value('birdstream_stream_posts_total', { stream })!);
  }
}, 130_000);
