import { readFileSync } from 'node:fs';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, connect, type Socket } from 'node:net';
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

/** One request as a forward proxy saw it. */
export interface ProxiedRequest {
  method: string;
  /** `host:port` for CONNECT, the absolute URL otherwise. */
  target: string;
  /** The Proxy-Authorization header, if any. */
  proxyAuthorization: string | undefined;
}

/**
 * A real forward proxy on 127.0.0.1: HTTP CONNECT tunnels (for https
 * targets) and absolute-form requests (plain http), with Basic
 * authentication when `credentials` are given (407 otherwise).
 */
export async function startForwardProxy(
  credentials?: string,
): Promise<Loopback & { seen: ProxiedRequest[] }> {
  const proxy = await startLoopback();
  const seen: ProxiedRequest[] = [];
  const expected =
    credentials === undefined ? undefined : `Basic ${Buffer.from(credentials).toString('base64')}`;
  const allowed = (req: IncomingMessage) =>
    expected === undefined || req.headers['proxy-authorization'] === expected;
  proxy.handler = (req, res) => {
    seen.push({
      method: req.method ?? '',
      target: req.url ?? '',
      proxyAuthorization: req.headers['proxy-authorization'],
    });
    if (!allowed(req)) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' }).end();
      return;
    }
    const target = new URL(req.url ?? '');
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const upstream = httpRequest(
      {
        hostname: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: req.method,
        headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  };
  proxy.server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    seen.push({
      method: 'CONNECT',
      target: req.url ?? '',
      proxyAuthorization: req.headers['proxy-authorization'],
    });
    if (!allowed(req)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
  });
  return Object.assign(proxy, { seen });
}

/** Counts of `process.getActiveResourcesInfo()` by kind. */
export function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}
