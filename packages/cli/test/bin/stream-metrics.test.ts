import { scrape } from '@birdstream/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin, startBin } from '../helpers/bin.js';
import { TOKEN } from '../helpers/env.js';
import { type FakeX, startFakeX } from '../helpers/fake-x.js';

const post = (id: string) =>
  JSON.stringify({
    data: { id, text: `post ${id}`, edit_history_tweet_ids: [id] },
    matching_rules: [{ id: '1', tag: 't' }],
  });

let x: FakeX;
beforeAll(async () => {
  x = await startFakeX({ token: TOKEN });
});
afterAll(async () => {
  await x.close();
});

const metricsUrl = (stderr: string) =>
  /serving Prometheus metrics on (http:\/\/\S+)/.exec(stderr)?.[1];

describe('birdstream stream --metrics-port', () => {
  it('serves /metrics while streaming: posts, duplicates, reconnects by reason, backfill, state', async () => {
    let connection = 0;
    x.onStream((_req, res) => {
      connection++;
      res.writeHead(200, { 'content-type': 'application/json' });
      if (connection === 1) {
        // Three posts, then the network drops (a reset, not a clean end).
        res.write(`${post('1')}\r\n${post('2')}\r\n${post('3')}\r\n`);
        setTimeout(() => res.socket?.destroy(), 50);
        return;
      }
      // The reconnect asked for backfill: post 3 again (a duplicate), then 4, then keep-alives.
      res.write(`${post('3')}\r\n${post('4')}\r\n\r\n`);
      const timer = setInterval(() => res.write('\r\n'), 50);
      res.on('close', () => clearInterval(timer));
    });
    const bin = startBin(
      [
        'stream',
        '--backfill',
        'auto',
        '--metrics-port',
        '127.0.0.1:0',
        '--progress-interval',
        '1h',
      ],
      { env: { X_BEARER_TOKEN: TOKEN, BIRDSTREAM_BASE_URL: x.url } },
    );
    try {
      const url = metricsUrl(await bin.waitFor('stderr', (t) => metricsUrl(t) !== undefined));
      await bin.waitFor('stdout', (t) => t.split('\n').length > 4);
      // Four posts were written: the figures have caught up once the 4th line is out.
      const s = await scrape(url!);
      const filter = { stream: 'filter' };
      expect(s.value('birdstream_stream_posts_total', filter)).toBe(4);
      expect(s.value('birdstream_stream_duplicates_dropped_total', filter)).toBe(1);
      expect(s.value('birdstream_stream_reconnects_total', { reason: 'network' })).toBe(1);
      expect(s.value('birdstream_stream_connections_total', filter)).toBe(2);
      expect(s.value('birdstream_stream_backfills_total', filter)).toBe(1);
      expect(s.value('birdstream_stream_backfill_requested_seconds_total', filter)).toBe(60);
      expect(s.value('birdstream_stream_state', { state: 'connected' })).toBe(1);
      expect(s.value('birdstream_stream_received_bytes_total', filter)).toBeGreaterThan(0);
      // The process's own metrics are served beside birdstream's.
      expect(s.value('process_cpu_seconds_total')).toBeGreaterThan(0);
      const later = await scrape(url!);
      expect(later.value('birdstream_stream_keep_alives_total', filter)).toBeGreaterThanOrEqual(
        s.value('birdstream_stream_keep_alives_total', filter) ?? 0,
      );
    } finally {
      bin.child.kill('SIGTERM');
    }
    const result = await bin.exited;
    expect(result.code).toBe(143);
    expect(
      x.requests.filter((r) => r.path.endsWith('/stream'))[1]?.query.get('backfill_minutes'),
    ).toBe('1');
  });

  it('refuses a malformed --metrics-port in one line (exit 2)', async () => {
    const result = await runBin(['stream', '--metrics-port', 'nine'], {
      env: { X_BEARER_TOKEN: TOKEN, BIRDSTREAM_BASE_URL: x.url },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "--metrics-port must be a port (0-65535) or host:port, such as 9464 or 127.0.0.1:9464; got 'nine'.",
    );
  });
});
