// Public API of @birdstream/webhooks. Everything not exported here is internal.
// Runtime-neutral: Web Crypto and web streams only, no `node:` import, so it runs unchanged on
// Node 20+, Bun, Deno and workerd. Adapters live in '@birdstream/webhooks/node' (node:http,
// express, fastify) and '@birdstream/webhooks/hono'; the RxJS source in '@birdstream/webhooks/rx'.

/** Core's `streamParams`: keeps a fields object's literal types, to link a webhook and type its deliveries alike. */
export { streamParams } from '@birdstream/core';
export { REPLAY_HORIZON_MS, replayWindow, toReplayDate } from './client/replay-window.js';
export {
  WebhookConfig,
  WebhookLinkSchema,
} from './client/webhook-schemas.js';
export { checkWebhookUrl, MAX_WEBHOOK_URL_LENGTH } from './client/webhook-url.js';
export {
  type CreatedWebhook,
  type LinkOptions,
  type ReplayJob,
  type ReplayWindow,
  type WebhookLink,
  WebhooksClient,
  type WebhooksClientOptions,
  type WebhooksRequestOptions,
} from './client/webhooks-client.js';
export type { DedupeClaim, DeliveryDedupeStore } from './dedupe/dedupe-store.js';
export {
  DEFAULT_WEBHOOK_DEDUPE_RETAIN_MS,
  MemoryDedupeStore,
  type MemoryDedupeStoreOptions,
} from './dedupe/memory-dedupe-store.js';
export { toResponse } from './receiver/answers.js';
export { DEFAULT_BUFFER_SIZE } from './receiver/delivery-iterator.js';
export { readWebBody } from './receiver/read-web-body.js';
export {
  DEFAULT_HANDOFF_TIMEOUT_MS,
  DEFAULT_MAX_BODY_BYTES,
  type WebhookReceiverOptions,
  type WebhookResponseFor,
} from './receiver/receiver-options.js';
export type { WebhookConsumer, WebhookDelivery } from './receiver/webhook-delivery.js';
export {
  type HandoffFailureReason,
  isWebhookError,
  WebhookError,
  type WebhookRejectReason,
} from './receiver/webhook-error.js';
export {
  WEBHOOK_EVENT_TYPES,
  type WebhookEvent,
  type WebhookEventHandlers,
  type WebhookEventOf,
  type WebhookEventType,
} from './receiver/webhook-events.js';
export { WebhookReceiver } from './receiver/webhook-receiver.js';
export type { BodyRead, WebhookAnswer, WebhookRequest } from './receiver/webhook-request.js';
export type { WebhookStats } from './receiver/webhook-stats.js';
export {
  crcResponseToken,
  signWebhookBody,
  verifyWebhookSignature,
} from './signature/sign-and-verify.js';
export {
  SIGNATURE_HEADER,
  SIGNATURE_PREFIX,
} from './signature/signature-header.js';
export {
  CONSUMER_SECRET_VARIABLE,
  type ConsumerSecretOption,
} from './signature/webhook-secrets.js';
