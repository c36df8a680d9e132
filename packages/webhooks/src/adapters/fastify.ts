import type { IncomingMessage } from 'node:http';
import { useFasterHmac, type WebhookReceiver } from '../receiver/webhook-receiver.js';
import { nodeHmac } from '../signature/node-hmac.js';
import { nodeRequest } from './node-request.js';

/** What the plugin needs of a Fastify instance (structural: no import of fastify). */
export interface FastifyInstanceLike {
  removeAllContentTypeParsers(): void;
  addContentTypeParser(
    contentType: string,
    parser: (
      request: unknown,
      payload: unknown,
      done: (error: Error | null, body?: unknown) => void,
    ) => void,
  ): void;
  route(options: {
    method: string[];
    url: string;
    handler: (
      request: { raw: IncomingMessage },
      reply: {
        code(status: number): unknown;
        headers(values: Record<string, string>): unknown;
        send(body?: string): unknown;
      },
    ) => Promise<unknown>;
  }): unknown;
}

/** Options of {@link fastifyWebhook}. */
export interface FastifyWebhookOptions {
  /** The route's path, such as `/webhooks/x`. */
  path: string;
}

/**
 * The receiver as a Fastify plugin (Fastify 4 and 5):
 * `app.register(fastifyWebhook(receiver, { path: '/webhooks/x' }))`.
 *
 * **The body-parser pitfall.** Fastify parses `application/json` bodies
 * before the route handler, so the signed bytes would be gone. The plugin
 * is encapsulated: inside it (and only there) it removes Fastify's parsers
 * and leaves the body unread, and the handler reads `request.raw` itself,
 * bounded by the receiver's `maxBodyBytes`. The rest of your app keeps its
 * parsers. Do not wrap the plugin with `fastify-plugin`: that would remove
 * them for the whole app.
 *
 * @example
 * ```ts
 * const app = Fastify();
 * await app.register(fastifyWebhook(receiver, { path: '/webhooks/x' }));
 * ```
 */
export function fastifyWebhook(
  receiver: Pick<WebhookReceiver, 'handle'>,
  options: FastifyWebhookOptions,
): (instance: FastifyInstanceLike) => Promise<void> {
  const path = options?.path;
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new TypeError("fastifyWebhook() needs { path }, such as { path: '/webhooks/x' }.");
  }
  // Signatures with node:crypto (same bytes as Web Crypto, a fraction of the cost).
  useFasterHmac(receiver, nodeHmac);
  return async (instance) => {
    instance.removeAllContentTypeParsers();
    // Any content type: leave the stream unread for the handler.
    instance.addContentTypeParser('*', (_request, _payload, done) => done(null));
    instance.route({
      method: ['GET', 'POST'],
      url: path,
      handler: async (request, reply) => {
        const answer = await receiver.handle(nodeRequest(request.raw));
        const headers: Record<string, string> = { ...answer.headers };
        if (answer.status === 413 || !request.raw.complete) headers.connection = 'close';
        reply.code(answer.status);
        reply.headers(headers);
        return reply.send(answer.body);
      },
    });
  };
}
