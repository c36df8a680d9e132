import { parseScrape, scrape } from '@birdstream/test-utils';
import { Registry } from 'prom-client';
import { afterEach, expect, test } from 'vitest';
import { BirdstreamMetrics, type MetricsServer, serveMetrics } from '../src/index.js';

const servers: MetricsServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

test('serves the registry on GET /metrics; 404 elsewhere, 405 for other methods', async () => {
  const registry = new Registry();
  const metrics = new BirdstreamMetrics({ registry });
  metrics.observer({ name: 'filter' })({ type: 'response' });
  const server = await serveMetrics(registry, { port: 0, host: '127.0.0.1' });
  servers.push(server);
  expect(server.url).toBe(`http://127.0.0.1:${server.port}/metrics`);
  const s = await scrape(server.url);
  expect(s.value('birdstream_stream_posts_total', { stream: 'filter' })).toBe(1);
  const other = await fetch(server.url.replace('/metrics', '/'));
  expect(other.status).toBe(404);
  expect(await other.text()).toBe('Not found: metrics are on /metrics\n');
  expect((await fetch(server.url, { method: 'POST' })).status).toBe(405);
});

test('a port in use is a ConfigError that says what to do', async () => {
  const registry = new Registry();
  const first = await serveMetrics(registry, { port: 0, host: '127.0.0.1' });
  servers.push(first);
  await expect(serveMetrics(registry, { port: first.port, host: '127.0.0.1' })).rejects.toThrow(
    `Cannot serve metrics on 127.0.0.1:${first.port} (EADDRINUSE): pick a free port.`,
  );
});

test('scrapes read NaN and Inf in any case, as Prometheus does (prom-client writes "Nan")', async () => {
  const s = await parseScrape(
    '# HELP a_seconds a\n# TYPE a_seconds gauge\na_seconds Nan\n# HELP b b\n# TYPE b gauge\nb -inf\n',
  );
  expect(s.value('a_seconds')).toBeNaN();
  expect(s.value('b')).toBe(Number.NEGATIVE_INFINITY);
  await expect(parseScrape('# HELP c c\n# TYPE c gauge\nc abc\n')).rejects.toThrow();
});
