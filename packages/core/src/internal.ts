/**
 * `@birdstream/core/internal`: what birdstream's own packages (rx, rules, redis, cli, testing,
 * webhooks) share with core but users should not build on — the stream driver's parts and
 * helpers with no promise of stability. Its names may change in any release; the public API is
 * `src/index.ts` alone (pinned by the API report).
 */

// The supervision contract: one resolver and one set of messages for core's streams and rx.
export { resolveLag } from './client/stream-options.js';
/** An environment variable, trimmed (`undefined` when unset, blank, or outside Node): `@birdstream/webhooks` reads `X_CONSUMER_SECRET` with it. */
export { readEnvironment } from './config/environment.js';
export {
  attachDrift,
  type ReadResult,
  readTolerantly,
  type TolerantReadOptions,
} from './decode/tolerant-reader.js';
export {
  createPostDedupe,
  type DedupeSettings,
  type PostDedupe,
  RECOVERY_HOLD_MARGIN_MS,
  resolveDedupe,
} from './dedupe/post-dedupe.js';
export type { ResolvedStreamOptions } from './driver/driver-options.js';
// The driver's parts that rx's sources and operators share with core's `for await` driver.
export {
  connectedEvent,
  connectingEvent,
  operationalDisconnectError,
  postOf,
  SLOW_READER_REASON,
  serverEndedError,
  type TranslatedMessage,
  translateMessage,
} from './driver/message-events.js';
export {
  connectionIdForUrl,
  isStale,
  type ReclaimContext,
  type ReclaimOutcome,
  reclaimStale,
} from './driver/reclaim-stale.js';
export { RECOVERY_BUFFER_POSTS } from './driver/recovery-runner.js';
export { lagEvents, StreamMeters, USAGE_EVENT_INTERVAL_MS } from './driver/stream-meters.js';
export { acceptedParams, findStreamEndpoint } from './endpoints/endpoint-table.js';
/** Stream parameters as a query string (lists comma-joined): `@birdstream/webhooks` links a webhook with the stream's fields. */
export { toSearchParams } from './endpoints/query-string.js';
export { REST_PATHS, relativePath } from './endpoints/rest-paths.js';
export { problemName } from './errors/problem.js';
/** A typed emitter of `{ type }` events (core's streams use it): `@birdstream/webhooks`' receiver too. */
export { type EventHandlers, type EventOf, TypedEmitter } from './events/typed-emitter.js';
export { IncludesIndex } from './includes/join-includes.js';
export { LagMeter, type LagTick } from './operate/lag-meter.js';
export { driftPath, SchemaDriftMeter } from './operate/schema-drift-meter.js';
export {
  BACKFILL_MARGIN_MS,
  BACKFILL_WINDOW_MS,
  type BackfillSize,
  backfillFor,
  backfillMinutesFor,
  backfillReaches,
  DELIVERY_LAG_MARGIN_MS,
  deliveryLagMargin,
  REQUEST_ARRIVAL_MARGIN_MS,
} from './reconnect/backfill.js';
export {
  type BackoffState,
  INITIAL_BACKOFF,
  nextReconnectDelay,
  type ReconnectDecision,
  type ReconnectInput,
} from './reconnect/policy.js';
export {
  MAX_RECOVERY_JOBS,
  type OutageRecovery,
  RECOVERY_HORIZON_MS,
  RECOVERY_MARGIN_MS,
  RecoveryJobs,
  type RecoveryWindow,
  recoveryFor,
} from './reconnect/recovery-plan.js';
export {
  positiveMs,
  type ReclaimSettings,
  type ResolvedSupervision,
  resolveFirstConnection,
  resolveStallTimeout,
  resolveSupervision,
  type SupervisorConfig,
} from './reconnect/supervision-options.js';
export {
  isSupervisionEvent,
  type SupervisorAction,
  type SupervisorDecision,
  type SupervisorResult,
} from './reconnect/supervision-protocol.js';
export {
  asBirdstreamError,
  StreamSupervisor,
  type SupervisorState,
} from './reconnect/supervisor.js';
export {
  type RestRequest,
  type RestResponse,
  RestTransport,
  type RestTransportOptions,
} from './rest/rest-transport.js';
