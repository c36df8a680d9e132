// Public API of @birdstream/testing. Everything not exported here is internal.
// msw handlers live in the separate entry point '@birdstream/testing/msw', so
// msw stays an optional peer dependency.

export { type Emulator, type EmulatorOptions, startEmulator } from './emulator/start-emulator.js';
export { type DeliveryReport, deliveryReport } from './engine/delivery-report.js';
export type { EmulatedClock, EmulatedTimer } from './engine/emulated-clock.js';
export type { EmulatorEvent, EmulatorEventOf, EmulatorEventType } from './engine/events.js';
export type { EmulatorRule, XApiEmulationOptions } from './engine/options.js';
export { type RateLimitedEndpoint, X_RATE_LIMITS } from './engine/rate-limits.js';
export type {
  AppliedFault,
  CloseReason,
  ConnectionStats,
  EmulatorStats,
  RejectedConnection,
  RejectionReason,
} from './engine/stats.js';
export type {
  CloseFault,
  DestroyFault,
  Fault,
  FaultType,
  GzipFault,
  OperationalDisconnectFault,
  RateLimitFault,
  ScriptedFault,
  ServerErrorFault,
  SlowFault,
  SplitFault,
  SplitMode,
  StallFault,
  StreamEndpoint,
  TooManyConnectionsFault,
  UnauthorizedFault,
  UsageCapFault,
} from './faults/fault.js';
export type { ConnectionFault, StreamFault } from './faults/fault-table.js';
export { type RandomFaultScriptOptions, randomFaultScript } from './faults/random-faults.js';
export type { StoredRule } from './rules/rule-store.js';
export { EMULATOR_TOPICS, type EmulatorTopic } from './traffic/corpus.js';
export { PAYLOAD_DRIFTS, type PayloadDrift } from './traffic/drift/playground-drift.js';
export {
  EMULATOR_CONSUMER_SECRET,
  type EmulatedWebhook,
  type WebhookEmulationOptions,
  type WebhookEmulatorStats,
} from './webhooks/webhook-emulation.js';
export type { WebhookFault, WebhookFaultType } from './webhooks/webhook-faults.js';
