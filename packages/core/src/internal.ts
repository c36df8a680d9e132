/**
 * `@birdstream/core/internal`: what birdstream's own packages (rx, rules, redis, cli, testing,
 * webhooks) share with core but users should not build on — the stream driver's parts and
 * helpers with no promise of stability. Its names may change in any release; the public API is
 * `src/index.ts` alone (pinned by the API report).
 */

export { acceptedParams, findStreamEndpoint } from './endpoints/endpoint-table.js';
export { REST_PATHS, relativePath } from './endpoints/rest-paths.js';
export { problemName } from './errors/problem.js';
export { lagEvents } from './events/stream-meters.js';
export { IncludesIndex } from './includes/join-includes.js';
export { LagMeter, type LagTick } from './operate/lag-meter.js';
export {
  type RestRequest,
  type RestResponse,
  RestTransport,
  type RestTransportOptions,
} from './rest/rest-transport.js';
