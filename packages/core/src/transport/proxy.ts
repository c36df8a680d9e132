import { ConfigError } from '../errors/config-error.js';

/**
 * The `proxy` option of `new StreamClient()`:
 * - a URL (`'http://proxy.local:3128'`, `'http://user:secret@proxy.local:3128'`):
 *   every request goes through this HTTP proxy (HTTP `CONNECT` for https
 *   targets, an absolute-form request for plain http);
 * - `'env'`: the proxy named by `HTTPS_PROXY` (https targets) or `HTTP_PROXY`
 *   (http targets), lower-case names too, skipped for hosts in `NO_PROXY`;
 * - `false` or omitted: no proxy.
 */
export type ProxyOption = string | URL | 'env' | false;

/** A proxy chosen for one request. Credentials only in `authorization`. */
export interface ResolvedProxy {
  /** `http://host:port` of the proxy, without credentials: safe to show. */
  readonly origin: string;
  readonly hostname: string;
  readonly port: number;
  /** The `Proxy-Authorization` header value, when the URL had credentials. */
  readonly authorization: string | undefined;
}

/** Picks the proxy (if any) for a target URL. */
export type ProxyResolver = (target: URL) => ResolvedProxy | undefined;

type Env = Record<string, string | undefined>;

/**
 * Checks the `proxy` option and returns the function that picks the proxy for
 * each request URL. Throws `ConfigError` (never quoting the URL, which may
 * hold credentials) for a value that is not an `http://` proxy URL.
 */
export function createProxyResolver(
  option: unknown,
  env: Env = processEnv(),
): ProxyResolver | undefined {
  if (option === undefined || option === false) return undefined;
  if (option === 'env') {
    const https = parseProxyUrl(env.HTTPS_PROXY ?? env.https_proxy, 'HTTPS_PROXY');
    const http = parseProxyUrl(env.HTTP_PROXY ?? env.http_proxy, 'HTTP_PROXY');
    const noProxy = parseNoProxy(env.NO_PROXY ?? env.no_proxy);
    if (!https && !http) return undefined;
    return (target) => {
      const proxy = target.protocol === 'https:' ? https : http;
      if (!proxy || bypasses(noProxy, target)) return undefined;
      return proxy;
    };
  }
  if (typeof option !== 'string' && !(option instanceof URL)) {
    throw new ConfigError(
      "proxy must be an http:// URL (such as 'http://proxy.local:3128'), 'env' or false.",
    );
  }
  const proxy = parseProxyUrl(String(option), 'proxy');
  return proxy ? () => proxy : undefined;
}

/**
 * The proxy `createProxyResolver(option)` would use for `url`, without
 * credentials, or `undefined` for a direct connection: for messages such as
 * "connecting via http://proxy.local:3128".
 */
export function proxyOriginFor(
  url: string | URL,
  option: ProxyOption | undefined,
  env?: Env,
): string | undefined {
  return createProxyResolver(option, env)?.(new URL(url))?.origin;
}

function parseProxyUrl(value: string | undefined, name: string): ResolvedProxy | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  let url: URL;
  try {
    // A bare host:port (as curl accepts) is read as http://host:port.
    url = new URL(
      /^[a-z][a-z0-9+.-]*:\/\//i.test(value.trim()) ? value.trim() : `http://${value.trim()}`,
    );
  } catch {
    throw new ConfigError(
      `${name} is not a valid proxy URL; use the form http://host:port (credentials as http://user:password@host:port).`,
    );
  }
  if (url.protocol !== 'http:') {
    throw new ConfigError(
      `${name} must be an http:// proxy URL (birdstream talks to the proxy in plain HTTP and tunnels https through it with CONNECT).`,
    );
  }
  const authorization =
    url.username || url.password
      ? `Basic ${base64(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`)}`
      : undefined;
  const port = url.port === '' ? 80 : Number(url.port);
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { origin: `http://${url.host}`, hostname, port, authorization };
}

interface NoProxyEntry {
  host: string;
  port: number | undefined;
}

function parseNoProxy(value: string | undefined): NoProxyEntry[] | '*' {
  const entries: NoProxyEntry[] = [];
  for (const raw of (value ?? '').split(/[\s,]+/)) {
    const item = raw.trim().toLowerCase();
    if (item === '') continue;
    if (item === '*') return '*';
    const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(item);
    if (!match) continue;
    const host = match[1]!.replace(/^\[(.*)\]$/, '$1').replace(/^\*?\./, '.');
    entries.push({ host, port: match[2] === undefined ? undefined : Number(match[2]) });
  }
  return entries;
}

/** `NO_PROXY` as curl reads it: `*`, exact hosts, and domains (`example.com` or `.example.com`) with their subdomains. */
function bypasses(noProxy: NoProxyEntry[] | '*', target: URL): boolean {
  if (noProxy === '*') return true;
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const port = target.port === '' ? (target.protocol === 'https:' ? 443 : 80) : Number(target.port);
  return noProxy.some((entry) => {
    if (entry.port !== undefined && entry.port !== port) return false;
    const domain = entry.host.startsWith('.') ? entry.host.slice(1) : entry.host;
    return host === domain || host.endsWith(`.${domain}`);
  });
}

function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function processEnv(): Env {
  const g = globalThis as { process?: { env?: Env } };
  return g.process?.env ?? {};
}
