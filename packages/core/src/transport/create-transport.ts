import { readEnvironment } from '../config/environment.js';
import { ConfigError } from '../errors/config-error.js';
import { createFetchTransport } from './fetch-transport.js';
import type { NodeTransportOptions } from './node-transport.js';
import { createProxyResolver, type ProxyOption } from './proxy.js';
import type { HttpTransport } from './transport-types.js';

/** The `transport` client option. */
export type TransportOption = 'auto' | 'node' | 'fetch';

/**
 * The environment variable that picks the transport when neither `transport`
 * nor `fetch` is given (`node` or `fetch`): for tools that intercept one of
 * them only, such as msw tests that need fetch's exact body semantics.
 */
export const TRANSPORT_VARIABLE = 'BIRDSTREAM_TRANSPORT';

/** What picks a client's transport. */
export interface TransportChoice {
  transport?: TransportOption | undefined;
  fetch?: typeof globalThis.fetch | undefined;
  proxy?: ProxyOption | undefined;
}

/**
 * True on Node itself: not Bun or Deno, which also set `process.versions.node`,
 * nor Cloudflare's workerd, which does with `nodejs_compat`.
 */
export function isNode(): boolean {
  const g = globalThis as {
    process?: { versions?: Record<string, string | undefined> };
    navigator?: { userAgent?: unknown };
  };
  const versions = g.process?.versions;
  return (
    typeof versions?.node === 'string' &&
    versions.bun === undefined &&
    versions.deno === undefined &&
    g.navigator?.userAgent !== 'Cloudflare-Workers'
  );
}

type NodeTransportModule = typeof import('./node-transport.js');
let nodeTransportModule: Promise<NodeTransportModule> | undefined;

/**
 * The Node transport's module, through the package's `#node-transport` import:
 * `node-transport.js` under the `node` condition, a module without `node:`
 * imports under `workerd`, `browser` and `default` (package.json `imports`), so
 * that bundles for workers hold no `node:` specifier.
 */
function loadNodeTransport(): Promise<NodeTransportModule> {
  nodeTransportModule ??= import('#node-transport');
  return nodeTransportModule;
}

// On Node, start loading the Node transport's modules with core: compiling them (~8 ms)
// would otherwise delay the first connection. Nothing to do on other runtimes.
if (isNode()) {
  loadNodeTransport()
    .then((module) => module.loadNodeModules())
    .catch(() => undefined);
}

/**
 * The Node transport, its module loaded on the first request (already loaded
 * on Node by then: it starts with core). Used by the streams and by the REST
 * clients' proxy path.
 */
export function createNodeTransportLazily(options: NodeTransportOptions): HttpTransport {
  let transport: HttpTransport | undefined;
  return {
    kind: 'node',
    async request(url, headers, signal, init) {
      const module = await loadNodeTransport();
      if (signal.aborted) throw signal.reason ?? new Error('aborted');
      transport ??= module.createNodeTransport(options);
      return transport.request(url, headers, signal, init);
    },
    destroy() {
      transport?.destroy();
    },
  };
}

/**
 * The client's transport: Node's (`node:http` + zlib, its own agents) on
 * Node, unless the caller passed their own `fetch` or `transport: 'fetch'`;
 * fetch elsewhere. A proxy needs the Node transport.
 */
export function createTransport(choice: TransportChoice): HttpTransport {
  const fromEnv =
    choice.transport === undefined && choice.fetch === undefined
      ? readEnvironment(TRANSPORT_VARIABLE)
      : undefined;
  const option = choice.transport ?? fromEnv ?? 'auto';
  if (option !== 'auto' && option !== 'node' && option !== 'fetch') {
    throw new ConfigError(
      `${fromEnv === undefined ? 'transport' : TRANSPORT_VARIABLE} must be 'auto', 'node' or 'fetch', got ${String(option)}.`,
    );
  }
  if (choice.fetch !== undefined && typeof choice.fetch !== 'function') {
    throw new ConfigError('fetch must be a function compatible with globalThis.fetch.');
  }
  if (option === 'node' && choice.fetch !== undefined) {
    throw new ConfigError(
      "Pass either fetch or transport: 'node', not both: the Node transport does not use fetch.",
    );
  }
  if (option === 'node' && !isNode()) {
    throw new ConfigError(
      "transport: 'node' needs Node.js; use 'auto' or 'fetch' on this runtime.",
    );
  }
  const proxy = createProxyResolver(choice.proxy);
  const useNode =
    option === 'node' || (option === 'auto' && choice.fetch === undefined && isNode());
  if (useNode) return createNodeTransportLazily({ proxy });
  if (choice.proxy !== undefined && choice.proxy !== false) {
    throw new ConfigError(
      "The proxy option works with the Node transport only; with your own fetch, give it a proxy agent (undici's dispatcher) instead.",
    );
  }
  return createFetchTransport(choice.fetch);
}
