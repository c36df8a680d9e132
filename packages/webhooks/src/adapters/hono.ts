import { toResponse } from '../receiver/answers.js';
import { readWebBody } from '../receiver/read-web-body.js';
import type { WebhookReceiver } from '../receiver/webhook-receiver.js';
import type { BodyRead } from '../receiver/webhook-request.js';

/** What the handler needs of Hono's `Context` (structural: no import of hono). */
export interface HonoContextLike {
  req: { raw: Request; url: string; method: string };
}

/**
 * The receiver as a Hono handler: `app.on(['GET', 'POST'], '/webhooks/x', honoWebhook(receiver))`.
 * It reads `c.req.raw`, the `Request` as it arrived, so the signature is
 * checked on the exact bytes. A middleware that read the body before it
 * (`c.req.json()`, a validator) leaves nothing to verify, and Hono would hand
 * back a re-serialised copy: the handler refuses with 500 `body-consumed`
 * and says so, rather than check bytes X never sent.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * import { honoWebhook } from '@birdstream/webhooks/hono';
 * const app = new Hono();
 * app.on(['GET', 'POST'], '/webhooks/x', honoWebhook(receiver));
 * export default app; // Bun, Deno, workerd; or serve it with @hono/node-server
 * ```
 */
export function honoWebhook(
  receiver: Pick<WebhookReceiver, 'handle'>,
): (c: HonoContextLike) => Promise<Response> {
  return async (c) => {
    const request = c.req.raw;
    return toResponse(
      await receiver.handle({
        method: request.method,
        url: request.url,
        header: (name) => request.headers.get(name),
        readBody: (limit): Promise<BodyRead> =>
          request.bodyUsed
            ? Promise.resolve({
                kind: 'consumed',
                by: 'a Hono middleware read c.req before the webhook handler',
              })
            : readWebBody(request, limit),
      }),
    );
  };
}
