/**
 * What `#node-transport` resolves to where Node's modules do not exist
 * (the `workerd`, `browser` and unmatched export conditions): the same
 * functions, which fail with a `ConfigError` that says what to use instead.
 * This keeps `node:` specifiers out of bundles for workers and browsers;
 * `createTransport` never picks the Node transport there anyway.
 */
import { ConfigError } from '../errors/config-error.js';
import type { createNodeTransport as createNodeTransportType } from './node-transport.js';

const UNAVAILABLE =
  "The Node transport is not part of this build of @birdstream/core (its workerd/browser export condition): use transport: 'fetch' or 'auto'.";

/** Always fails: see the module's summary. */
export const createNodeTransport: typeof createNodeTransportType = () => {
  throw new ConfigError(UNAVAILABLE);
};

/** Always fails: see the module's summary. */
export function loadNodeModules(): Promise<never> {
  return Promise.reject(new ConfigError(UNAVAILABLE));
}
