// Public API of @birdstream/core. Everything not exported here is internal.

export {
  DEFAULT_CONNECT_TIMEOUT_MS,
  type StreamClientOptions,
} from './client/client-options.js';
export type { StreamEventListener, StreamEventOf } from './client/event-emitter.js';
export { StreamClient } from './client/stream-client.js';
export {
  type BackfillOption,
  DEFAULT_HEALTHY_AFTER_MS,
  DEFAULT_STALL_TIMEOUT_MS,
  type ReconnectOptions,
  type StreamOptions,
} from './client/stream-options.js';
export type { StreamStats } from './client/stream-stats.js';
export { TweetStream } from './client/tweet-stream.js';
export { bearerTokenFromEnv } from './config/environment.js';
export {
  createMessageParser,
  DEFAULT_MAX_MESSAGE_BYTES,
  type Frame,
  isOperationalDisconnect,
  LineDecoder,
  type LineDecoderOptions,
  type MessageParserOptions,
  type ParsedMessage,
} from './decode/index.js';
export { DEFAULT_DEDUPE_WINDOW, IdWindow } from './dedupe/id-window.js';
export {
  findStreamEndpoint,
  STREAM_ENDPOINT_NAMES,
  STREAM_ENDPOINT_TABLE,
  type StreamEndpointInfo,
  type StreamFamily,
} from './endpoints/endpoint-table.js';
export * from './errors/index.js';
export type {
  BackfillEvent,
  ClosedEvent,
  ConnectedEvent,
  ConnectingEvent,
  DisconnectedEvent,
  DuplicateEvent,
  ErrorEvent,
  KeepAliveEvent,
  PayloadInvalidEvent,
  ReconnectingEvent,
  StalledEvent,
  StreamErrorsEvent,
  StreamEventHandlers,
  StreamLifecycleEvent,
  StreamLifecycleEventType,
} from './events/lifecycle.js';
export { DEFAULT_BASE_URL, resolveBaseUrl } from './http/base-url.js';
export { parseRateLimit, type RateLimitInfo } from './http/rate-limit.js';
export { userAgentFor } from './http/user-agent.js';
export * from './params/fields.js';
export * from './params/stream-params.js';
export { classifyFailure, type FailureKind } from './reconnect/classify.js';
export {
  type BackoffState,
  backfillMinutesFor,
  INITIAL_BACKOFF,
  nextReconnectDelay,
  type ReconnectContext,
  type ReconnectDecision,
  type ReconnectInput,
  type ReconnectPolicyHook,
  type ReconnectSchedule,
  X_RECONNECT_SCHEDULE,
} from './reconnect/policy.js';
export * from './schemas/index.js';
export { type Clock, systemClock, type TimerHandle } from './time/clock.js';
export type {
  ConnectionMessage,
  ConnectOptions,
  StreamConnection,
} from './transport/connection-types.js';
export type * from './types/index.js';
export { VERSION } from './version.js';
