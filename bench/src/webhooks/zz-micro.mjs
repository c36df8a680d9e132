import { signedBodies } from './webhook-bench.mjs';

const { WebhookReceiver } = await import('@birdstream/webhooks');
const { nodeWebhook } = await import('@birdstream/webhooks/node');
const secret = 'bench-consumer-secret-0123456789-abcdefghijklmnopqrst';
const N = 20000;
const all = signedBodies(N * 2, 7);
const mode = process.argv[2] ?? 'strict';
const receiver = new WebhookReceiver({
  consumerSecret: secret,
  validate: mode,
  onDelivery: () => {},
});
nodeWebhook(receiver); // installs node hmac (after build)
await new Promise((r) => setTimeout(r, 50));
const req = (item) => ({
  method: 'POST',
  url: '/webhooks/x',
  header: (n) => (n === 'x-twitter-webhooks-signature' ? item.signature : undefined),
  readBody: async () => ({ kind: 'ok', bytes: item.body }),
});
async function run(items) {
  const t = performance.now();
  for (let i = 0; i < items.length; i += 32) {
    await Promise.all(items.slice(i, i + 32).map((it) => receiver.handle(req(it))));
  }
  return ((performance.now() - t) * 1000) / items.length;
}
function bare(items) {
  const t = performance.now();
  for (const it of items) JSON.parse(it.body.toString('utf8'));
  return ((performance.now() - t) * 1000) / items.length;
}
await run(all.slice(0, N));
bare(all.slice(0, N));
console.log(
  'handle µs',
  (await run(all.slice(N))).toFixed(1),
  'bare parse µs',
  bare(all.slice(N)).toFixed(1),
  receiver.stats.delivered,
);
