// Public API of @birdstream/redis. Everything not exported here is internal.
// The RxJS source lives in the separate entry point '@birdstream/redis/rx',
// so rxjs stays an optional peer dependency.

export {
  type ConsumedMessage,
  StreamConsumer,
  type StreamConsumerOptions,
} from './consumer/stream-consumer.js';
export { isLeaseLostError, LeaseLostError } from './errors.js';
export type {
  BalanceEvent,
  CaughtUpIngestEvent,
  ClaimedEvent,
  FallingBehindIngestEvent,
  IngestErrorEvent,
  IngestEvent,
  IngestEventOf,
  IngestEventType,
  PartitionStoppedEvent,
  PartitionStreamEvent,
  ProgressEvent,
  TakeoverBackfillEvent,
  UnrecoverableEvent,
} from './ingest/ingest-events.js';
export type {
  IngestorStats,
  IngestTotals,
  PartitionStats,
} from './ingest/ingest-stats.js';
export { Ingestor, type IngestorOptions } from './ingest/ingestor.js';
export { type TakeoverPlan, takeoverPlan } from './ingest/takeover-plan.js';
export {
  DEFAULT_PREFIX,
  dedupeKey,
  defaultStreamKey,
  deliveredKey,
  fenceKey,
  leaseKey,
  ownersKey,
  workersKey,
} from './keys.js';
export { claimOrder, leaseTarget } from './lease/balance.js';
export {
  DEFAULT_LEASE_TTL_MS,
  DEFAULT_RENEW_INTERVAL_MS,
  type LeaseTiming,
  resolveLeaseTiming,
} from './lease/lease-timing.js';
export {
  type HeldLease,
  type LeaseEndReason,
  type LeaseStatus,
  PartitionLeases,
  type PartitionLeasesOptions,
  type PartitionWorker,
} from './lease/partition-leases.js';
export {
  DEFAULT_DEDUPE_TTL_MS,
  DEFAULT_MAX_BATCH,
  DEFAULT_MAX_DELAY_MS,
  RedisStreamSink,
  type RedisStreamSinkOptions,
} from './sink/redis-stream-sink.js';
export {
  type Fence,
  postIdentity,
  type StreamSink,
  type WriteContext,
  type WriteOutcome,
} from './sink/stream-sink.js';
export {
  DEFAULT_WEBHOOK_PENDING_TTL_MS,
  RedisDeliveryDedupe,
  type RedisDeliveryDedupeOptions,
} from './webhook-dedupe.js';
