// Public API of @birdstream/core. Everything not exported here is internal.

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
export { parseRateLimit, type RateLimitInfo } from './http/rate-limit.js';
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
export { type Clock, systemClock, type TimerHandle } from './time/clock.js';
