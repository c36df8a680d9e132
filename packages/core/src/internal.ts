/**
 * `@birdstream/core/internal`: what birdstream's own packages (rx, rules, redis, cli, testing,
 * webhooks) share with core but users should not build on — the stream driver's parts and
 * helpers with no promise of stability. Its names may change in any release; the public API is
 * `src/index.ts` alone (pinned by the API report).
 */
export {
  attachDrift,
  type ReadResult,
  readTolerantly,
  type TolerantReadOptions,
} from './decode/tolerant-reader.js';
export { driftPath, SchemaDriftMeter } from './operate/schema-drift-meter.js';
