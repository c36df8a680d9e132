/**
 * `@birdstream/core/internal`: what birdstream's own packages (rx, rules, redis, cli, testing,
 * webhooks) share with core but users should not build on — the stream driver's parts and
 * helpers with no promise of stability. Its names may change in any release; the public API is
 * `src/index.ts` alone (pinned by the API report).
 */

/** An environment variable, trimmed (`undefined` when unset, blank, or outside Node): `@birdstream/webhooks` reads `X_CONSUMER_SECRET` with it. */
export { readEnvironment } from './config/environment.js';
/** Stream parameters as a query string (lists comma-joined): `@birdstream/webhooks` links a webhook with the stream's fields. */
export { toSearchParams } from './params/serialize.js';
