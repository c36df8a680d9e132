import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { honoWebhook } from '../../src/hono.js';
import type { WebhookReceiver } from '../../src/index.js';
import { expressWebhook, fastifyWebhook, nodeWebhook } from '../../src/node.js';

/** The path every test server mounts the webhook on. */
export const WEBHOOK_PATH = '/webhooks/x';

/** A server on 127.0.0.1 serving a receiver. */
export interface ServedWebhook {
  /** The webhook's URL. */
  readonly url: string;
  close(): Promise<void>;
}

export type Framework = 'node:http' | 'express' | 'fastify' | 'hono';
export const FRAMEWORKS: readonly Framework[] = ['node:http', 'express', 'fastify', 'hono'];

function listen(server: Server): Promise<ServedWebhook> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}${WEBHOOK_PATH}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

/** A JSON route beside the webhook, answering what it parsed: proves the app's own parsers keep working. */
const ECHO_PATH = '/echo';
export function echoUrl(webhookUrl: string): string {
  return webhookUrl.replace(WEBHOOK_PATH, ECHO_PATH);
}

/** Serves `receiver` with `framework` the way the README recommends, plus a JSON route beside it. */
export async function serveWebhook(
  framework: Framework,
  receiver: Pick<WebhookReceiver, 'handle'>,
): Promise<ServedWebhook> {
  switch (framework) {
    case 'node:http': {
      const handler = nodeWebhook(receiver);
      return listen(
        createServer((req, res) => {
          if (req.url?.startsWith(WEBHOOK_PATH)) return handler(req, res);
          res.writeHead(404).end();
        }),
      );
    }
    case 'express': {
      const app = express();
      app.use(WEBHOOK_PATH, expressWebhook(receiver));
      app.use(express.json());
      app.post(
        ECHO_PATH,
        (
          req: IncomingMessage & { body?: unknown },
          res: ServerResponse & { json(v: unknown): void },
        ) => {
          res.json(req.body);
        },
      );
      return listen(createServer(app));
    }
    case 'fastify': {
      const app = Fastify();
      await app.register(fastifyWebhook(receiver, { path: WEBHOOK_PATH }));
      app.post(ECHO_PATH, async (request) => request.body);
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as AddressInfo;
      return {
        url: `http://127.0.0.1:${port}${WEBHOOK_PATH}`,
        close: async () => {
          app.server.closeAllConnections();
          await app.close();
        },
      };
    }
    case 'hono': {
      const app = new Hono();
      app.on(['GET', 'POST'], WEBHOOK_PATH, honoWebhook(receiver));
      app.post(ECHO_PATH, async (c) => c.json(await c.req.json()));
      return listen(createAdaptorServer({ fetch: app.fetch }) as Server);
    }
  }
}
