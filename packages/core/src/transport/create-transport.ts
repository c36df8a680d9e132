import { readEnvironment } from '../config/environment.js';
import { ConfigError } from '../errors/config-error.js';
import { createFetchTransport } from './fetch-transport.js';
import { createNodeTransport, loadNodeModules } from './node-transport.js';
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

/** True on Node itself (not Bun or Deno, which also set `process.versions.node`). */
export function isNode(): boolean {
  const g = globalThis as { process?: { versions?: Record<string, string | undefined> } };
  const versions = g.process?.versions;
  return (
    typeof versions?.node === 'string' && versions.bun === undefined && versions.deno === undefined
  );
}

// On Node, start loading the Node transport's modules with core: compiling them (~8 ms)
// would otherwise delay the first connection. Nothing to do on other runtimes.
if (isNode()) loadNodeModules().catch(() => undefined);

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
  if (useNode) return createNodeTransport({ proxy });
  if (choice.proxy !== undefined && choice.proxy !== false) {
    throw new ConfigError(
      "The proxy option works with the Node transport only; with your own fetch, give it a proxy agent (undici's dispatcher) instead.",
    );
  }
  return createFetchTransport(choice.fetch);
}
