import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach } from 'vitest';

export const TLS = {
  cert: readFileSync(new URL('./fixtures/loopback-cert.pem', import.meta.url)),
  key: readFileSync(new URL('./fixtures/loopback-key.pem', import.meta.url)),
};

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A server on 127.0.0.1 whose handler each test sets; it tracks its open sockets. */
export interface Loopback {
  readonly server: Server;
  readonly url: string;
  handler: Handler;
  /** Requests received, in order. */
  readonly requests: IncomingMessage[];
  /** Sockets the server holds open right now. */
  openSockets(): number;
  close(): Promise<void>;
}

const started: Loopback[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.close()));
});

/** Starts a loopback server (https with the fixture certificate when `secure`); closed after the test. */
export async function startLoopback(secure = false): Promise<Loopback> {
  const sockets = new Set<Socket>();
  const requests: IncomingMessage[] = [];
  const loopback: Loopback = {
    server: undefined as never,
    url: '',
    handler: (_req, res) => res.end(),
    requests,
    openSockets: () => sockets.size,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => loopback.server.close(resolve));
    },
  };
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    requests.push(req);
    loopback.handler(req, res);
  };
  const server = secure ? createHttpsServer(TLS, listener) : createServer(listener);
  server.on(secure ? 'secureConnection' : 'connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  Object.assign(loopback, { server, url: `${secure ? 'https' : 'http'}://127.0.0.1:${port}` });
  started.push(loopback);
  return loopback;
}

/** Counts of `process.getActiveResourcesInfo()` by kind. */
export function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}
