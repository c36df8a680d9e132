// Public API of @birdstream/rx. Everything not exported here is internal.

export type { ResponseEvent, StreamEvent, SupervisionEvent } from './events/stream-event.js';
export { hydratePost } from './hydrate/hydrate-post.js';
export type {
  HydratedPost,
  HydratedPostBase,
  IncludedMediaOf,
  IncludedPlaceOf,
  IncludedPollOf,
  IncludedTweetOf,
  IncludedUserOf,
  MatchingRuleOf,
  PartialErrorOf,
  PostOf,
  ReferencedPost,
  ResponseWithPost,
} from './hydrate/hydrated-post.js';
export { type DedupeByIdConfig, dedupeById } from './operators/dedupe-by-id.js';
export { type HeartbeatTimeoutConfig, heartbeatTimeout } from './operators/heartbeat-timeout.js';
export { matchingRule, type RuleRef, type WithMatchingRules } from './operators/matching-rule.js';
export { mergeRedundant } from './operators/merge-redundant.js';
export { resolveIncludes } from './operators/resolve-includes.js';
export { responses, tweets } from './operators/responses.js';
export { type RetryStreamConfig, retryStream } from './operators/retry-stream.js';
export { dedupeByEndpoint, endpointDedupeKey, fromEndpoint } from './source/from-endpoint.js';
export { fromFilteredStream } from './source/from-filtered-stream.js';
export {
  fromPartitions,
  type PartitionStreamEvent,
  type PartitionsSourceConfig,
} from './source/from-partitions.js';
export { fromSampleStream } from './source/from-sample-stream.js';
export { fromStream, type StreamConnector, type StreamSourceConfig } from './source/from-stream.js';
export {
  isReconnectable,
  keepReconnectable,
  type ReconnectableObservable,
  type ReconnectRequest,
  type RecoveryRequest,
  reconnectable,
} from './source/reconnectable.js';
