// @ts-check
/**
 * In-process cost of `receiver.handle()` per delivery (no HTTP, no load generator sharing the
 * cores), beside `JSON.parse(body.toString())` of the same bodies. Build first, then
 * `node bench/src/webhooks/handle-micro.mjs [strict|off]`. Signatures go through node:crypto,
 * as under `nodeWebhook`.
 */
import { WebhookReceiver } from '@birdstream/webhooks';
import { nodeWebhook } from '@birdstream/webhooks/node';
import { signedBodies } from './webhook-bench.mjs';

const SECRET = 'bench-consumer-secret-0123456789-abcdefghijklmnopqrst';
const N = 20_000;
const validate = process.argv[2] === 'off' ? 'off' : 'strict';
const all = signedBodies(N * 2, 7);
const receiver = new WebhookReceiver({ consumerSecret: SECRET, validate, onDelivery: () => {} });
nodeWebhook(receiver); // what the node:http adapter sets up: node:crypto HMAC
/** @param {{ body: Buffer, signature: string }} item */
const request = (item) => ({
  method: 'POST',
  url: '/webhooks/x',
  header: (/** @type {string} */ name) =>
    name === 'x-twitter-webhooks-signature' ? item.signature : undefined,
  readBody: async () => /** @type {const} */ ({ kind: 'ok', bytes: item.body }),
});
/** µs per delivery, 32 at a time as the bench sends them. */
async function handle(/** @type {typeof all} */ items) {
  const started = performance.now();
  for (let i = 0; i < items.length; i += 32) {
    await Promise.all(items.slice(i, i + 32).map((item) => receiver.handle(request(item))));
  }
  return ((performance.now() - started) * 1000) / items.length;
}
function bare(/** @type {typeof all} */ items) {
  const started = performance.now();
  for (const item of items) JSON.parse(item.body.toString('utf8'));
  return ((performance.now() - started) * 1000) / items.length;
}
await handle(all.slice(0, N)); // warm-up
bare(all.slice(0, N));
const handled = await handle(all.slice(N));
const parsed = bare(all.slice(N));
console.log(
  `validate ${validate}: receiver.handle ${handled.toFixed(1)} µs per delivery, JSON.parse(body.toString()) ${parsed.toFixed(1)} µs; ${receiver.stats.delivered} delivered`,
);
