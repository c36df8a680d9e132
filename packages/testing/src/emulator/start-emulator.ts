import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { ConfigError } from '@birdstream/core';
import { type EngineControls, engineControls } from '../engine/controls.js';
import { XApiEngine } from '../engine/engine.js';
import type { XApiEmulationOptions } from '../engine/options.js';
import type { WebhookEmulatorStats } from '../webhooks/webhook-emulation.js';
import type { WebhookFault } from '../webhooks/webhook-faults.js';
import { nodeSink } from './node-sink.js';

/** Options of {@link startEmulator}. */
export interface EmulatorOptions extends XApiEmulationOptions {
  /** TCP port; 0 picks a free one (read it from `emu.url`). @default 0 */
  port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
}

/** A running emulator. */
export interface Emulator extends EngineControls {
  /** Base URL to give a client as `baseUrl`, such as `http://127.0.0.1:53211` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** Ends every stream, stops listening and cancels every timer; resolves when the port is free. */
  close(): Promise<void>;
  /** The filtered stream's webhooks: what was delivered, and faults for the next deliveries. */
  readonly webhooks: {
    stats(): WebhookEmulatorStats;
    inject(fault: WebhookFault): void;
  };
}

const MAX_BODY_BYTES = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('Request body too large.'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

async function serve(
  engine: XApiEngine,
  base: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', base);
  const body = req.method === 'POST' || req.method === 'DELETE' ? await readBody(req) : undefined;
  const response = await engine.handle({
    method: req.method ?? 'GET',
    url,
    header: (name) => headerOf(req, name),
    body,
    clientIp: req.socket.remoteAddress,
  });
  if (response.kind === 'stream') {
    res.writeHead(response.status, response.headers);
    res.flushHeaders();
    response.open(nodeSink(res, response.gzip));
    return;
  }
  let payload: Buffer = Buffer.from(response.body, 'utf8');
  const headers = { ...response.headers };
  if (engine.options.gzip !== 'never' && /\bgzip\b/i.test(headerOf(req, 'accept-encoding') ?? '')) {
    payload = gzipSync(payload);
    headers['content-encoding'] = 'gzip';
  }
  headers['content-length'] = String(payload.length);
  res.writeHead(response.status, headers);
  res.end(payload);
}

/**
 * Starts a local X API v2 emulator: a real HTTP server on loopback that
 * speaks the filtered stream, sample stream and rules endpoints byte for
 * byte like X (problem bodies, status codes, `x-rate-limit-*` headers,
 * `\r\n` framing, keep-alives, backfill), with seeded traffic and fault
 * injection.
 *
 * @example
 * ```ts
 * const emu = await startEmulator({ seed: 1, rate: 50, timeScale: 100, rules: [{ value: 'coffee', tag: 'coffee' }] });
 * const res = await fetch(`${emu.url}/2/tweets/search/stream`, { headers: { authorization: 'Bearer test' } });
 * emu.inject({ type: 'destroy', afterPosts: 5 });
 * console.log(emu.stats().connections[0]?.postIds);
 * await emu.close();
 * ```
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const { port = 0, host = '127.0.0.1', ...rest } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new ConfigError(`\`port\` must be an integer from 0 to 65535, got ${String(port)}.`);
  const engine = new XApiEngine(rest);
  const sockets = new Set<Socket>();
  let base = `http://${host}`;
  const server = createServer((req, res) => {
    serve(engine, base, req, res).catch(() => {
      if (!res.headersSent) {
        res.writeHead(400, { 'content-type': 'application/json; charset=utf-8' });
        res.end(
          '{"title":"Invalid Request","type":"about:blank","status":400,"detail":"The request could not be read."}',
        );
      } else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  base = `http://${hostForUrl}:${address.port}`;
  let closing: Promise<void> | undefined;

  return {
    url: base,
    port: address.port,
    ...engineControls(engine),
    webhooks: {
      stats: () => engine.webhooks.stats(),
      inject: (fault) => engine.webhooks.inject(fault),
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        engine.close();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
