// Public API of @birdstream/core. Everything not exported here is internal.

export type { AdminClientOptions } from './admin/admin-client-options.js';
export {
  CONNECTION_ENDPOINT_IDS,
  CONNECTION_FIELDS,
  Connection,
  type ConnectionEndpointId,
  type ConnectionField,
  type KillResult,
  USAGE_FIELDS,
  Usage,
  type UsageDay,
  type UsageField,
} from './admin/admin-schemas.js';
export {
  ConnectionsClient,
  type ConnectionsListPage,
  type KillSummary,
  type ListConnectionsOptions,
} from './admin/connections-client.js';
export { type GetUsageOptions, UsageClient, type UsageReport } from './admin/usage-client.js';

export {
  DEFAULT_CONNECT_TIMEOUT_MS,
  type StreamClientOptions,
} from './client/client-options.js';
export { EndpointStream } from './client/endpoint-stream.js';
export type {
  PartitionedStreamName,
  PartitionedStreamOptions,
  PartitionOf,
  PartitionSelection,
} from './client/partition-selection.js';
export { resolvePartitions } from './client/partition-selection.js';
export {
  type PartitionEventHandlers,
  type PartitionEventListener,
  type PartitionEventOf,
  PartitionedStream,
  type PartitionedStreamStats,
  type PartitionFailure,
} from './client/partitioned-stream.js';
export { StreamClient } from './client/stream-client.js';
export type { BackfillOption, StreamOptions } from './client/stream-options.js';
export { DEFAULT_TEE_BUFFER, type TeeBranches, type TeeOptions } from './client/stream-tee.js';
export { DEFAULT_BASE_URL, resolveBaseUrl } from './config/base-url.js';
export {
  missingBearerTokenMessage,
  normalizeBearerToken,
  resolveBearerToken,
} from './config/bearer-token.js';
export {
  BASE_URL_VARIABLE,
  BEARER_TOKEN_VARIABLES,
  bearerTokenFromEnv,
  type EnvironmentVariables,
} from './config/environment.js';
export {
  createMessageParser,
  DEFAULT_MAX_MESSAGE_BYTES,
  type Drift,
  type DriftKind,
  driftOf,
  type Frame,
  type Framing,
  FramingDecoder,
  type FramingDecoderOptions,
  isOperationalDisconnect,
  LineDecoder,
  type LineDecoderOptions,
  type MessageParserOptions,
  type ParsedMessage,
  parseJsonLossless,
  type UnrecognizedMessage,
  type UnrecognizedReason,
  type ValidationMode,
} from './decode/index.js';
export type { DedupeOption } from './dedupe/post-dedupe.js';
export {
  DEFAULT_DEDUPE_MAX_IDS,
  DEFAULT_DEDUPE_RETAIN_MS,
  type DedupeOverflow,
  TimedIdWindow,
  type TimedIdWindowOptions,
} from './dedupe/timed-id-window.js';
export type { StreamStats } from './driver/stream-stats.js';
export {
  FIREHOSE_LANGUAGES,
  type FirehoseLanguage,
  STREAM_ENDPOINT_NAMES,
  STREAM_ENDPOINT_TABLE,
  type StreamEndpointInfo,
  type StreamEndpointName,
  type StreamFamily,
  type StreamRow,
} from './endpoints/endpoint-table.js';
export * from './endpoints/fields.js';
export * from './errors/index.js';
export type { StreamEventListener, StreamEventOf } from './events/event-emitter.js';
export type {
  BackfillEvent,
  BudgetWarningEvent,
  CaughtUpEvent,
  ClosedEvent,
  ConnectedEvent,
  ConnectingEvent,
  DisconnectedEvent,
  DuplicateEvent,
  ErrorEvent,
  FallingBehindEvent,
  KeepAliveEvent,
  LagEvent,
  PayloadInvalidEvent,
  ReclaimedEvent,
  ReconnectingEvent,
  RecoveryEvent,
  SchemaDriftEvent,
  StalledEvent,
  StreamErrorsEvent,
  StreamEventHandlers,
  StreamLifecycleEvent,
  StreamLifecycleEventType,
  UnrecognizedEvent,
  UsageEvent,
} from './events/lifecycle.js';
export { MAX_ERROR_BODY_BYTES, readErrorBody } from './http/error-body.js';
export type { RateLimitInfo } from './http/rate-limit.js';
export { userAgentFor } from './http/user-agent.js';
export { joinIncludes, MAX_REFERENCE_DEPTH } from './includes/join-includes.js';
export type {
  JoinedPost,
  JoinedResponse,
  ReferencedPost,
  ResponseWithPost,
} from './includes/joined-post.js';
export type { BudgetOption, BudgetUsage } from './operate/budget.js';
export { BudgetExhaustedError, isBudgetExhaustedError } from './operate/budget-exhausted-error.js';
export { itemTime, snowflakeTime } from './operate/item-time.js';
export type {
  FallingBehindReason,
  LagOptions,
  LagStat,
  Spread,
} from './operate/lag-meter.js';
export {
  DEFAULT_DRIFT_INTERVAL_MS,
  MAX_DRIFT_PATHS,
  type SchemaDriftOptions,
  type SchemaDriftStat,
} from './operate/schema-drift-meter.js';
export {
  type AnyStreamParams,
  type BackfillMinutes,
  type BackfillParams,
  type ComplianceStreamParams,
  type EventStreamParams,
  type FieldParams,
  type FilteredStreamParams,
  type FirehoseStreamParams,
  type LanguageFirehoseParams,
  type LikeFieldParams,
  type LikesFirehoseParams,
  type LikesSample10Params,
  type PartitionRange,
  type RecoveryParams,
  type Sample10StreamParams,
  type SampleStreamParams,
  type StreamParamsFor,
  streamParams,
} from './params/stream-params.js';
export type { BackfillSetting } from './reconnect/backfill.js';
export {
  defaultUnreachableHint,
  FirstConnectionError,
  type FirstConnectionFailure,
  isFirstConnectionError,
  shortUrl,
  type UnreachableCause,
  unreachableCause,
} from './reconnect/first-connection-error.js';
export {
  type ReconnectContext,
  type ReconnectPolicyHook,
  type ReconnectSchedule,
  X_RECONNECT_SCHEDULE,
} from './reconnect/policy.js';
export { recoveryTimeParams, rfc3339Seconds } from './reconnect/recovery-times.js';
export {
  DEFAULT_FIRST_CONNECTION,
  DEFAULT_HEALTHY_AFTER_MS,
  DEFAULT_STALL_TIMEOUT_MS,
  type FirstConnectionBound,
  type ReclaimOption,
  type SupervisionOptions,
} from './reconnect/supervision-options.js';
export type { SupervisionEvent } from './reconnect/supervision-protocol.js';
export { isResponseError, ResponseError, type ResponseErrorInit } from './rest/response-error.js';
export { DEFAULT_REST_TIMEOUT_MS } from './rest/rest-transport.js';
export { DEFAULT_RETRY } from './rest/retry.js';
export * from './schemas/index.js';
export {
  REDACTED,
  SecretScrubber,
  type SecretScrubberOptions,
} from './secrets/secret-scrubber.js';
export { type Clock, systemClock, type TimerHandle } from './time/clock.js';
export type {
  ConnectionMessage,
  ConnectOptions,
  StreamConnection,
} from './transport/connection-types.js';
export {
  TRANSPORT_VARIABLE,
  type TransportOption,
} from './transport/create-transport.js';
export { preloadRestClients } from './transport/load-ky.js';
export { type ProxyOption, proxyOriginFor } from './transport/proxy.js';
export {
  ProxyConnectError,
  type ProxyHop,
  proxyFailureOf,
  proxyHint,
} from './transport/proxy-failure.js';
export type * from './types/index.js';
export { VERSION } from './version.js';
