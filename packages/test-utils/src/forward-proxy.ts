import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';

/** One request as the forward proxy saw it. */
export interface ProxiedRequest {
  /** `CONNECT`, or the method of a plain-http request in absolute form. */
  method: string;
  /** `host:port` for CONNECT, the absolute URL otherwise. */
  target: string;
  /** The `Proxy-Authorization` header, if any. */
  proxyAuthorization: string | undefined;
  /** Whether the proxy let it through (credentials right, or none required). */
  allowed: boolean;
}

/** A running forward proxy on 127.0.0.1. */
export interface ForwardProxy {
  /** `http://127.0.0.1:PORT`, without credentials. */
  url: string;
  port: number;
  /** Every request, in arrival order. */
  seen: ProxiedRequest[];
  close(): Promise<void>;
}

/**
 * A real HTTP forward proxy on 127.0.0.1, for tests of proxy support: HTTP
 * `CONNECT` tunnels (https targets) and absolute-form requests (plain http,
 * such as an emulator), with Basic authentication when `credentials`
 * (`user:password`) are given (407 otherwise). It records what it saw.
 */
export async function startForwardProxy(credentials?: string): Promise<ForwardProxy> {
  const seen: ProxiedRequest[] = [];
  const expected =
    credentials === undefined ? undefined : `Basic ${Buffer.from(credentials).toString('base64')}`;
  const record = (req: IncomingMessage, method: string): boolean => {
    const allowed = expected === undefined || req.headers['proxy-authorization'] === expected;
    seen.push({
      method,
      target: req.url ?? '',
      proxyAuthorization: req.headers['proxy-authorization'],
      allowed,
    });
    return allowed;
  };
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    if (!record(req, req.method ?? '')) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' }).end();
      return;
    }
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end();
      return;
    }
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
    // As real proxies do: a target it cannot reach is its 502, a failure later a hang-up.
    upstream.on('error', () => {
      if (res.headersSent) res.destroy();
      else res.writeHead(502, { 'content-type': 'text/plain' }).end('Bad Gateway');
    });
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    if (!record(req, 'CONNECT')) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    let established = false;
    const upstream = connect(Number(port), host ?? '', () => {
      established = true;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => {
      if (established) client.destroy();
      else client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
    });
    client.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
