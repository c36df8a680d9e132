import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadRules } from '@birdstream/rules';
import { EMULATOR_CONSUMER_SECRET, startEmulator } from '@birdstream/testing';
import { streamParams, WebhookReceiver, WebhooksClient } from '@birdstream/webhooks';
import { nodeWebhook } from '@birdstream/webhooks/node';
import type { DemoOptions } from './demo-options.js';
import { wait } from './run-demo.js';

const FIELDS = streamParams({ 'tweet.fields': ['created_at'], expansions: ['author_id'] });

/**
 * `pnpm demo --mode webhook`: the emulator pushes the filtered stream to a
 * `WebhookReceiver` on node:http, registered twice (two redundant links), under
 * delivery faults (bad signatures, truncated and cut bodies, redeliveries).
 * Resolves 0 when every matched post was handed over exactly once.
 */
export async function runWebhookDemo(
  options: DemoOptions,
  print: (line?: string) => void,
  token: string,
  signal?: AbortSignal,
): Promise<number> {
  const rules = (await loadRules(options.rulesFile)).rules.map(({ value, tag }) =>
    tag === undefined ? { value } : { value, tag },
  );
  const emu = await startEmulator({
    seed: options.seed,
    rate: options.rate,
    timeScale: options.timeScale,
    bearerToken: token,
    rules,
    webhooks: { faults: options.faults, faultRate: 0.15, retryDelayMs: 1_000 },
  });
  const handedOver: string[] = [];
  const refused: Record<string, number> = {};
  const receiver = new WebhookReceiver({
    consumerSecret: EMULATOR_CONSUMER_SECRET,
    fields: FIELDS,
    onDelivery: ({ id }) => {
      handedOver.push(id);
    },
    on: {
      rejected: ({ reason, status }) => {
        refused[`${status} ${reason}`] = (refused[`${status} ${reason}`] ?? 0) + 1;
      },
    },
  });
  const server = createServer(nodeWebhook(receiver));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/x`;
  try {
    print(
      `X API emulator on ${emu.url} (seed ${String(options.seed)}, ${options.rate} posts/s, time ×${options.timeScale}), ${rules.length} rules; webhook receiver on ${url}.`,
    );
    const client = new WebhooksClient({ bearerToken: token, baseUrl: emu.url });
    const ids: string[] = [];
    for (const target of [url, `${url}?link=2`]) {
      const webhook = await client.register(target);
      await client.link(webhook.id, FIELDS);
      ids.push(webhook.id);
    }
    print(
      `registered and linked 2 webhooks (redundant links: every post is sent twice): ${ids.join(', ')}.`,
    );
    const started = performance.now();
    const stop = new AbortController();
    signal?.addEventListener('abort', () => stop.abort(), { once: true });
    while (!stop.signal.aborted && performance.now() - started < options.durationSeconds * 1000) {
      await wait(1_000, stop.signal);
      const s = receiver.stats;
      print(
        `  ${((performance.now() - started) / 1000).toFixed(0)} s: ${s.delivered} handed over, ${s.duplicates} duplicates dropped, ${Object.values(refused).reduce((a, b) => a + b, 0)} refused, ${s.crc} CRCs`,
      );
    }
    for (const id of ids) await client.unlink(id);
    // Let X finish its retries (bounded: a few real seconds).
    const deadline = performance.now() + 10_000;
    while (emu.webhooks.stats().pending > 0 && performance.now() < deadline) await wait(20);
    const stats = emu.webhooks.stats();
    const matched = new Set(ids.flatMap((id) => stats.matched[id] ?? []));
    const delivered = new Set(handedOver);
    const lost = [...matched].filter((id) => !delivered.has(id));
    const twice = handedOver.length - delivered.size;
    print();
    print(
      `summary: ${matched.size} posts matched, ${handedOver.length} handed over, lost ${lost.length}, duplicates delivered ${twice}; ${receiver.stats.duplicates} duplicates dropped, ${stats.faults.length} delivery faults (${[...new Set(stats.faults.map((f) => f.type))].join(', ') || 'none'}), refused: ${
        Object.entries(refused)
          .map(([k, v]) => `${k} ×${v}`)
          .join(', ') || 'none'
      }.`,
    );
    const ok = lost.length === 0 && twice === 0 && stats.pending === 0;
    print(
      ok
        ? 'Every post the emulator matched was handed over exactly once.'
        : 'Something was lost or duplicated: see above.',
    );
    return ok ? 0 : 1;
  } finally {
    server.close();
    server.closeAllConnections();
    await emu.close();
  }
}
