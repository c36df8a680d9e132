import type { ClientRequest, Agent as HttpAgent, IncomingMessage, RequestOptions } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { Socket } from 'node:net';
import type { Transform } from 'node:stream';
import type { ConnectionOptions } from 'node:tls';
import type { ProxyResolver, ResolvedProxy } from './proxy.js';
import { hopOfConnectStatus, isUnreachable, ProxyConnectError } from './proxy-failure.js';
import type {
  ByteSource,
  HttpTransport,
  RequestInit_,
  TransportResponse,
} from './transport-types.js';

/** Node's modules, loaded on first use so that importing core works on any runtime. */
interface NodeModules {
  http: typeof import('node:http');
  https: typeof import('node:https');
  net: typeof import('node:net');
  tls: typeof import('node:tls');
  zlib: typeof import('node:zlib');
  stream: typeof import('node:stream');
}

let loading: Promise<NodeModules> | undefined;
/**
 * Node's http, https, net, tls, zlib and stream modules, imported once
 * (dynamically: core also runs where they do not exist). Started when core
 * is imported on Node, so the first connection does not wait for them.
 */
export function loadNodeModules(): Promise<NodeModules> {
  loading ??= Promise.all([
    import('node:http'),
    import('node:https'),
    import('node:net'),
    import('node:tls'),
    import('node:zlib'),
    import('node:stream'),
    // The modules' default exports (the CommonJS objects), so that whoever patches
    // `http.request` (msw's interceptor, APM agents) sees our requests.
  ]).then(([http, https, net, tls, zlib, stream]) => ({
    http: commonJs(http),
    https: commonJs(https),
    net: commonJs(net),
    tls: commonJs(tls),
    zlib: commonJs(zlib),
    stream: commonJs(stream),
  }));
  return loading;
}

function commonJs<M extends object>(namespace: M): M {
  return (namespace as { default?: M }).default ?? namespace;
}

/** Options of {@link createNodeTransport}. */
export interface NodeTransportOptions {
  /** Picks the proxy for each request (the `proxy` client option). */
  proxy?: ProxyResolver | undefined;
  /** Extra TLS options for https targets (tests pass a `ca`). */
  tls?: Pick<ConnectionOptions, 'ca'> | undefined;
}

/** Chunks of the socket waiting to be inflated are joined up to this size. */
const MAX_COALESCED_BYTES = 256 * 1024;
/** Decoded bytes the reader has not taken yet, above which the socket is paused. */
const HIGH_WATER_BYTES = 1024 * 1024;
/** zlib output chunks (Node's default is 16 KiB). */
const INFLATE_CHUNK_BYTES = 64 * 1024;

/**
 * The Node transport: `node:http`/`node:https` with the client's own agents
 * (keep-alive off, so no socket outlives its request, and `destroy()` ends
 * every socket), gzip inflated by `zlib` fed the socket's chunks as they come
 * (coalesced while the previous write is inflating), and the body handed
 * over in batches. Redirects are never followed. See decisions/0004.
 */
export function createNodeTransport(options: NodeTransportOptions = {}): HttpTransport {
  let agents: { http: HttpAgent; https: HttpsAgent } | undefined;
  /** Destroys one in-flight request (and its tunnel) each. */
  const live = new Set<() => void>();
  return {
    kind: 'node',
    async request(url, headers, signal, init) {
      const modules = await loadNodeModules();
      if (signal.aborted) throw signal.reason ?? new Error('aborted');
      agents ??= {
        http: new modules.http.Agent({ keepAlive: false }),
        https: new modules.https.Agent({ keepAlive: false }),
      };
      return sendRequest(modules, agents, live, options, new URL(url), headers, signal, init);
    },
    destroy() {
      for (const destroy of live) destroy();
      live.clear();
      agents?.http.destroy();
      agents?.https.destroy();
    },
  };
}

function sendRequest(
  modules: NodeModules,
  agents: { http: HttpAgent; https: HttpsAgent },
  live: Set<() => void>,
  options: NodeTransportOptions,
  target: URL,
  headers: Record<string, string>,
  signal: AbortSignal,
  init: RequestInit_ = {},
): Promise<TransportResponse> {
  const { http, https, net, tls } = modules;
  const method = init.method ?? 'GET';
  const secure = target.protocol === 'https:';
  const port = target.port === '' ? (secure ? 443 : 80) : Number(target.port);
  const hostname = target.hostname.replace(/^\[(.*)\]$/, '$1');
  const proxy = options.proxy?.(target);

  return new Promise<TransportResponse>((resolve, reject) => {
    const owned: { destroy(): void }[] = [];
    let settled = false;
    const proxyPlain = proxy !== undefined && !secure;
    const destroy = () => {
      for (const item of owned) item.destroy();
    };
    const release = () => {
      signal.removeEventListener('abort', onAbort);
      live.delete(destroy);
    };
    const fail = (error: unknown) => {
      destroy();
      release();
      if (settled) return;
      settled = true;
      reject(error);
    };
    const onAbort = () => fail(signal.reason ?? new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    live.add(destroy);

    const send = (requestOptions: RequestOptions) => {
      const request: ClientRequest = (secure && !proxyPlain ? https : http).request({
        ...requestOptions,
        method,
      });
      owned.push(request);
      request.on('error', (error) =>
        // Plain http through a proxy: a socket that never reached the proxy is the proxy's hop.
        fail(
          proxyPlain && proxy !== undefined && isUnreachable(error)
            ? new ProxyConnectError(
                { hop: 'proxy-unreachable', proxy: proxy.origin, target: target.host },
                error,
              )
            : error,
        ),
      );
      request.on('response', (incoming) => {
        owned.push(incoming);
        // The socket is gone once the response closes: nothing left to release on abort.
        incoming.on('close', release);
        settled = true;
        resolve(nodeResponse(modules, request, incoming));
      });
      if (init.body !== undefined) request.end(init.body);
      else request.end();
    };

    if (!proxy) {
      send({
        protocol: target.protocol,
        hostname,
        port,
        path: `${target.pathname}${target.search}`,
        headers,
        agent: secure ? agents.https : agents.http,
        ...(secure ? options.tls : {}),
      });
    } else if (proxyPlain) {
      // Plain http through a proxy: the absolute-form request goes to the proxy.
      send({
        hostname: proxy.hostname,
        port: proxy.port,
        path: target.href,
        headers: { ...headers, host: target.host, ...proxyHeader(proxy) },
        agent: agents.http,
      });
    } else {
      // https through a proxy: a CONNECT tunnel, then TLS to the target inside it.
      const connect = http.request({
        hostname: proxy.hostname,
        port: proxy.port,
        method: 'CONNECT',
        path: `${target.hostname}:${port}`,
        headers: { host: `${target.hostname}:${port}`, ...proxyHeader(proxy) },
        agent: false,
      });
      owned.push(connect);
      connect.on('error', (error) =>
        fail(
          new ProxyConnectError(
            { hop: 'proxy-unreachable', proxy: proxy.origin, target: target.host },
            error,
          ),
        ),
      );
      connect.on('connect', (answer: IncomingMessage, socket: Socket, head: Buffer) => {
        owned.push(socket);
        answer.resume();
        if (answer.statusCode !== 200) {
          fail(
            new ProxyConnectError({
              hop: hopOfConnectStatus(answer.statusCode),
              proxy: proxy.origin,
              target: target.host,
              ...(answer.statusCode === undefined ? {} : { status: answer.statusCode }),
            }),
          );
          return;
        }
        if (head.length > 0) socket.unshift(head);
        const secureSocket = tls.connect({
          socket,
          host: hostname,
          ...(net.isIP(hostname) === 0 ? { servername: hostname } : {}),
          ALPNProtocols: ['http/1.1'],
          ...options.tls,
        });
        owned.push(secureSocket);
        send({
          protocol: 'https:',
          hostname,
          port,
          path: `${target.pathname}${target.search}`,
          headers,
          createConnection: () => secureSocket,
        });
      });
      connect.end();
    }
  });
}

function proxyHeader(proxy: ResolvedProxy): Record<string, string> {
  return proxy.authorization ? { 'proxy-authorization': proxy.authorization } : {};
}

function nodeResponse(
  modules: NodeModules,
  request: ClientRequest,
  incoming: IncomingMessage,
): TransportResponse {
  const status = incoming.statusCode ?? 0;
  // A plain object, not `Headers`: touching that global loads Node's fetch (undici), ~25 ms.
  const headers: Record<string, string> = Object.create(null);
  const raw = incoming.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  const gzip = /^\s*(x-)?gzip\s*$/i.test(headers['content-encoding'] ?? '');
  const cancel = () => {
    request.destroy();
    incoming.destroy();
  };
  return {
    status,
    headers,
    body: () => new NodeByteSource(modules, request, incoming, gzip),
    toResponse: () => {
      const nullBody = status === 204 || status === 205 || status === 304;
      let stream: NodeJS.ReadableStream = incoming;
      if (gzip) {
        const inflate = modules.zlib.createGunzip({
          finishFlush: modules.zlib.constants.Z_SYNC_FLUSH,
        });
        incoming.on('error', (error) => inflate.destroy(error));
        stream = incoming.pipe(inflate);
      }
      const body = nullBody
        ? null
        : (modules.stream.Readable.toWeb(
            stream as import('node:stream').Readable,
          ) as ReadableStream);
      if (nullBody) cancel();
      // `Response` rejects statuses outside 200–599; a proxy's odd status becomes 502 text for reading.
      return new Response(body, { status: status >= 200 && status <= 599 ? status : 502, headers });
    },
    cancel,
  };
}

/**
 * The body of a Node response as a `ByteSource`: chunks (inflated when gzip)
 * are queued as they arrive and taken all at once by `read()`. The socket is
 * paused while more than `HIGH_WATER_BYTES` wait.
 */
class NodeByteSource implements ByteSource {
  readonly #request: ClientRequest;
  readonly #incoming: IncomingMessage;
  readonly #inflate: Transform | undefined;
  #queue: Uint8Array[] = [];
  #queued = 0;
  #ended = false;
  #error: unknown;
  #cancelled = false;
  #waiter:
    | { resolve: (chunks: Uint8Array[] | null) => void; reject: (error: unknown) => void }
    | undefined;
  /** Why the socket is paused: too much decoded and not taken, or too much waiting for zlib. */
  readonly #pausedFor = new Set<'queue' | 'inflate'>();

  constructor(
    modules: NodeModules,
    request: ClientRequest,
    incoming: IncomingMessage,
    gzip: boolean,
  ) {
    this.#request = request;
    this.#incoming = incoming;
    if (!gzip) {
      incoming.on('error', (error) => this.#fail(error));
      incoming.on('close', () => {
        if (!incoming.complete) this.#fail(new Error('the server closed the connection mid-body'));
      });
      incoming.on('data', (chunk: Buffer) => this.#push(chunk));
      incoming.on('end', () => this.#end());
      return;
    }
    const inflate = modules.zlib.createGunzip({
      // A stream cut off mid-gzip (a dropped connection) is not a decoding error.
      finishFlush: modules.zlib.constants.Z_SYNC_FLUSH,
      chunkSize: INFLATE_CHUNK_BYTES,
    });
    this.#inflate = inflate;
    /** Set when the socket failed: reported once zlib has inflated what had arrived. */
    let socketError: unknown;
    inflate.on('data', (chunk: Buffer) => this.#push(chunk));
    inflate.on('end', () => (socketError === undefined ? this.#end() : this.#fail(socketError)));
    inflate.on('error', (error) =>
      this.#fail(
        new Error(`the gzip body could not be inflated (${error.message})`, { cause: error }),
      ),
    );
    // One write in flight; socket chunks that arrive meanwhile are joined into the next.
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let writing = false;
    let incomingEnded = false;
    const write = () => {
      if (this.#cancelled) return;
      if (pending.length === 0) {
        if (incomingEnded) inflate.end();
        return;
      }
      const chunk = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      // Everything waiting is now with zlib: the socket may flow again.
      this.#setPaused('inflate', false);
      writing = true;
      inflate.write(chunk, () => {
        writing = false;
        write();
      });
    };
    const finish = () => {
      if (incomingEnded) return;
      incomingEnded = true;
      if (!writing) write();
    };
    incoming.on('data', (chunk: Buffer) => {
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (!writing) write();
      else if (pendingBytes > MAX_COALESCED_BYTES) this.#setPaused('inflate', true);
    });
    incoming.on('end', finish);
    // A dropped socket: inflate what arrived first (nothing received is lost), then fail.
    incoming.on('error', (error) => {
      socketError ??= error;
      finish();
    });
    incoming.on('close', () => {
      if (!incoming.complete) {
        socketError ??= new Error('the server closed the connection mid-body');
        finish();
      }
    });
  }

  read(): Promise<Uint8Array[] | null> {
    if (this.#queue.length > 0) return Promise.resolve(this.#take());
    if (this.#error !== undefined) return Promise.reject(this.#error);
    if (this.#ended || this.#cancelled) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
  }

  cancel(): void {
    if (this.#cancelled) return;
    this.#cancelled = true;
    this.#request.destroy();
    this.#incoming.destroy();
    this.#inflate?.destroy();
    this.#settle(null);
  }

  #take(): Uint8Array[] {
    const chunks = this.#queue;
    this.#queue = [];
    this.#queued = 0;
    this.#setPaused('queue', false);
    return chunks;
  }

  #push(chunk: Uint8Array): void {
    if (this.#cancelled) return;
    if (this.#waiter) {
      const waiter = this.#waiter;
      this.#waiter = undefined;
      waiter.resolve([chunk]);
      return;
    }
    this.#queue.push(chunk);
    this.#queued += chunk.length;
    if (this.#queued > HIGH_WATER_BYTES) this.#setPaused('queue', true);
  }

  /**
   * Pauses the socket for a reason, or lifts that reason; it flows again only
   * when no reason is left (lifting one must never resume a socket another
   * still holds, nor leave one paused that nothing will resume).
   */
  #setPaused(reason: 'queue' | 'inflate', paused: boolean): void {
    const before = this.#pausedFor.size > 0;
    if (paused) this.#pausedFor.add(reason);
    else this.#pausedFor.delete(reason);
    const after = this.#pausedFor.size > 0;
    if (after && !before) this.#incoming.pause();
    else if (!after && before) this.#incoming.resume();
  }

  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#queue.length === 0) this.#settle(null);
  }

  #fail(error: unknown): void {
    if (this.#cancelled || this.#ended || this.#error !== undefined) return;
    this.#error = error;
    this.#request.destroy();
    this.#inflate?.destroy();
    if (this.#queue.length > 0) return; // delivered first; the next read rejects
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.reject(error);
  }

  #settle(value: null): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.resolve(value);
  }
}
