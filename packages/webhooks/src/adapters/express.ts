import type { IncomingMessage, ServerResponse } from 'node:http';
import { useFasterHmac, type WebhookReceiver } from '../receiver/webhook-receiver.js';
import { nodeHmac } from '../signature/node-hmac.js';
import { type NodeRequestLike, nodeRequest, sendNodeAnswer } from './node-request.js';

/**
 * The receiver as express middleware (express 4 and 5), for the path it is
 * mounted on: `app.use('/webhooks/x', expressWebhook(receiver))`.
 *
 * **The body-parser pitfall.** The signature covers the exact bytes X sent.
 * `app.use(express.json())` before this middleware parses the body into an
 * object and the bytes are gone; re-serialising the object gives different
 * bytes (key order, spacing, escapes, 19-digit ids) and would never verify.
 * So mount the webhook before `express.json()`, or give it the bytes with
 * `express.raw({ type: '*\/*' })` on its path, or keep them with
 * `express.json({ verify: (req, _res, buf) => { req.rawBody = buf; } })`. A
 * body that was parsed without its bytes is answered 500 `body-consumed`
 * (reported as a `rejected` event that says what to change), never guessed.
 *
 * @example
 * ```ts
 * const app = express();
 * app.use('/webhooks/x', expressWebhook(receiver)); // before express.json()
 * app.use(express.json());
 * ```
 */
export function expressWebhook(
  receiver: Pick<WebhookReceiver, 'handle'>,
): (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void {
  // Signatures with node:crypto (same bytes as Web Crypto, a fraction of the cost).
  useFasterHmac(receiver, nodeHmac);
  return (req, res, next) => {
    receiver.handle(nodeRequest(req as NodeRequestLike)).then(
      (answer) => sendNodeAnswer(req, res, answer),
      (error: unknown) => next(error),
    );
  };
}
