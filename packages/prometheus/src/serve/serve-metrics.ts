import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '@birdstream/core';
import type { Registry } from 'prom-client';

/** Options of `serveMetrics`. */
export interface ServeMetricsOptions {
  /** The TCP port; 0 picks a free one (read it from `url`). */
  port: number;
  /**
   * The interface to listen on. Prometheus usually scrapes from another
   * machine; `127.0.0.1` keeps the endpoint to this one.
   * @default '0.0.0.0'
   */
  host?: string;
  /** @default '/metrics' */
  path?: string;
}

/** A running metrics endpoint. */
export interface MetricsServer {
  /** Where Prometheus scrapes, e.g. `http://127.0.0.1:9464/metrics` (a wildcard host as 127.0.0.1). */
  readonly url: string;
  readonly port: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/**
 * Serves `registry` in Prometheus's text format on `GET /metrics` with
 * `node:http`, for a program without a web framework (the birdstream CLI
 * uses it for `--metrics-port`). Any other path answers 404; any other
 * method 405. Resolves once listening; rejects with a `ConfigError` when
 * the port cannot be used.
 *
 * @example
 * ```ts
 * const server = await serveMetrics(registry, { port: 9464 });
 * console.error(`metrics on ${server.url}`);
 * ```
 */
export async function serveMetrics(
  registry: Registry,
  options: ServeMetricsOptions,
): Promise<MetricsServer> {
  const host = options.host ?? '0.0.0.0';
  const path = options.path ?? '/metrics';
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://metrics.invalid');
    if (url.pathname !== path) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(`Not found: metrics are on ${path}\n`);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' });
      response.end();
      return;
    }
    registry.metrics().then(
      (text) => {
        response.writeHead(200, { 'content-type': registry.contentType });
        response.end(request.method === 'HEAD' ? undefined : text);
      },
      (error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        response.end(`Collecting the metrics failed: ${(error as Error)?.message ?? error}\n`);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        new ConfigError(
          `Cannot serve metrics on ${host}:${options.port} (${error.code ?? error.message}): pick a free port${error.code === 'EACCES' ? ' above 1023' : ''}.`,
        ),
      );
    };
    server.once('error', onError);
    server.listen(options.port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const urlHost = shownHost.includes(':') ? `[${shownHost}]` : shownHost;
  return {
    url: `http://${urlHost}:${port}${path}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
