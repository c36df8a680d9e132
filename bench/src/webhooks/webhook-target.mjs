// @ts-check
/**
 * One webhook server of the benchmark, in its own process: `node webhook-target.mjs <kind>`.
 * It listens on 127.0.0.1, reports its port over IPC, counts what it accepted, and answers
 * `{ type: 'report' }` with the counts.
 *
 * - `bare-http`: a node:http handler that reads the body and `JSON.parse`s it: no signature,
 *   no dedupe, no typing. The reference.
 * - `birdstream-webhooks`: `nodeWebhook(new WebhookReceiver(…))` with its defaults (no option
 *   but the secret and `onDelivery`): signature verified on the raw bytes (node:crypto
 *   HMAC-SHA256 under the `/node` adapters, constant-time compare), 1 MiB bound, core's lossless
 *   JSON and the receiver's default `validate`, which is `'strict'` (the receiver takes `'strict'`
 *   or `'off'`; the streams' `'tolerant'` is not one of its modes), in-memory dedupe, the
 *   hand-over awaited before answering.
 * - `birdstream-webhooks-off`: the same with `validate: 'off'`.
 */
import { createServer } from 'node:http';

const kind = process.argv[2];
const secret = process.env.BENCH_WEBHOOK_SECRET ?? '';
let accepted = 0;
const ids = new Set();

/** @type {import('node:http').RequestListener} */
let handler;
if (kind === 'bare-http') {
  handler = (req, res) => {
    /** @type {Buffer[]} */
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const message = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      accepted++;
      ids.add(message.data.id);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  };
} else if (kind === 'birdstream-webhooks' || kind === 'birdstream-webhooks-off') {
  const { WebhookReceiver } = await import('@birdstream/webhooks');
  const { nodeWebhook } = await import('@birdstream/webhooks/node');
  const receiver = new WebhookReceiver({
    consumerSecret: secret,
    ...(kind === 'birdstream-webhooks-off' ? { validate: /** @type {const} */ ('off') } : {}),
    onDelivery: ({ id }) => {
      accepted++;
      ids.add(id);
    },
  });
  handler = nodeWebhook(receiver);
} else {
  throw new Error(`unknown webhook target ${kind}`);
}

const server = createServer(handler);
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  process.send?.({ type: 'listening', port: address.port });
});
/** CPU time of this process when the timed part began (`mark`). */
let cpuAtMark = process.cpuUsage();
process.on('message', (/** @type {{ type: string }} */ message) => {
  if (message.type === 'mark') {
    cpuAtMark = process.cpuUsage();
    process.send?.({ type: 'marked' });
  } else if (message.type === 'report') {
    const cpu = process.cpuUsage(cpuAtMark);
    process.send?.({
      type: 'report',
      accepted,
      unique: ids.size,
      cpuUs: cpu.user + cpu.system,
      rssMb: process.memoryUsage().rss / 1e6,
    });
  }
});
