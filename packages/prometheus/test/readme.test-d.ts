// The README's TypeScript example, verbatim (imports hoisted), compiled against the real types;
// test/readme.test.ts checks that it is here.
import { StreamClient } from '@birdstream/core';
import { BirdstreamMetrics, serveMetrics } from '@birdstream/prometheus';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { describe, it } from 'vitest';

describe('README example', () => {
  it('track a stream', async () => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry }); // your process's metrics, if you want them
    const metrics = new BirdstreamMetrics({ registry });

    const client = new StreamClient({ bearerToken: process.env.X_BEARER_TOKEN });
    const stream = client.filter({ 'tweet.fields': ['created_at'] }, { backfill: 'auto' });
    metrics.trackStream(stream, { name: 'filter' }); // before iterating: no event is missed

    const server = await serveMetrics(registry, { port: 9464 }); // or registry.metrics() in your app
    console.error(`metrics on ${server.url}`);
    for await (const response of stream) console.log(response.data.id);
  });
});
