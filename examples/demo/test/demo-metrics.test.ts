import { type Scrape, scrape } from '@birdstream/test-utils';
import { expect, it } from 'vitest';
import { runDemo } from '../src/run-demo.js';

it('--metrics-port: scrapes during the demo show both consumers’ posts, reconnects and state', async () => {
  let text = '';
  const running = runDemo(
    [
      ...['--duration', '8', '--time-scale', '10', '--rate', '20'],
      ...['--fault-interval', '4000', '--seed', '3', '--metrics-port', '0'],
    ],
    { write: (t) => (text += t), isTTY: false },
  );
  let finished = false;
  const code = running.finally(() => {
    finished = true;
  });
  // Scrape every 250 ms while the demo runs (it stops serving when it ends); keep the last.
  let last: Scrape | undefined;
  let scrapes = 0;
  while (!finished) {
    const url = /metrics of both consumers on (http:\/\/\S+) /.exec(text)?.[1];
    if (url !== undefined) {
      try {
        last = await scrape(url);
        scrapes++;
      } catch (error) {
        if (!finished) throw error;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  expect(await code, text).toBe(0);
  expect(scrapes).toBeGreaterThan(1);
  const s = last!;
  for (const stream of ['for-await', 'rx']) {
    expect(s.value('birdstream_stream_posts_total', { stream })).toBeGreaterThan(0);
    expect(s.value('birdstream_stream_connections_total', { stream })).toBeGreaterThanOrEqual(1);
    expect(s.sum('birdstream_stream_state', { stream })).toBe(1);
  }
  // Random faults struck (seeded, one every 4 emulated seconds on average): reconnects counted.
  expect(s.sum('birdstream_stream_reconnects_total')).toBeGreaterThan(0);
  // Only core's stream keeps stats: bytes are the for-await consumer's.
  expect(
    s.value('birdstream_stream_received_bytes_total', { stream: 'for-await' }),
  ).toBeGreaterThan(0);
  expect(s.samples('birdstream_stream_received_bytes_total', { stream: 'rx' })).toEqual([]);
  // What the summary says each consumer received is at least what the last scrape counted.
  for (const [name, stream] of [
    ['for await', 'for-await'],
    ['RxJS pipeline', 'rx'],
  ] as const) {
    const received = Number(new RegExp(`${name} +sent \\d+, received (\\d+)`).exec(text)?.[1]);
    expect(received).toBeGreaterThanOrEqual(s.value('birdstream_stream_posts_total', { stream })!);
  }
}, 60_000);
