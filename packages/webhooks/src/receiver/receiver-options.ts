import type { Clock, FieldParams, FilteredStreamResponseFor } from '@birdstream/core';
import type { DeliveryDedupeStore } from '../dedupe/dedupe-store.js';
import type { MemoryDedupeStoreOptions } from '../dedupe/memory-dedupe-store.js';
import type { ConsumerSecretOption } from '../signature/webhook-secrets.js';
import type { WebhookConsumer } from './webhook-delivery.js';
import type { WebhookEventHandlers } from './webhook-events.js';

/** The default bound on a delivery's body: 1 MiB (a post with every expansion is well under 100 KiB). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** The default wait for a consumer: 8 s, under the 10 s X allows a webhook to answer. */
export const DEFAULT_HANDOFF_TIMEOUT_MS = 8_000;

/** What a delivery to a webhook linked with the fields `P` is. */
export type WebhookResponseFor<P extends FieldParams> = FilteredStreamResponseFor<P>;

/** Options of `new WebhookReceiver()`. */
export interface WebhookReceiverOptions<P extends FieldParams = {}> {
  /**
   * Your X app's consumer secret (API Key Secret), which X signs deliveries
   * and CRCs with; several during a rotation: the first answers CRCs, any of
   * them verifies a delivery. Never the bearer token.
   * @default the X_CONSUMER_SECRET environment variable (Node, Bun, Deno)
   */
  consumerSecret?: ConsumerSecretOption;
  /**
   * The fields and expansions the webhook was linked with
   * (`WebhooksClient.link(id, fields)`): they type the deliveries exactly as
   * `client.filter(fields)` types the stream's posts. Pass the same object to
   * both (`streamParams()` keeps its literal types).
   * @default {} (X's default fields: id, text, edit_history_tweet_ids)
   */
  fields?: P;
  /**
   * Your code, called with each new delivery; X is answered 200 once it
   * resolves, 500 when it throws (X retries). Or leave it out and consume with
   * `for await (const delivery of receiver)` or `fromWebhook(receiver)`
   * (`@birdstream/webhooks/rx`).
   * @default undefined
   */
  onDelivery?: WebhookConsumer<WebhookResponseFor<P>>;
  /**
   * The largest body accepted; a bigger one is answered 413 and not read further.
   * @default 1_048_576 (1 MiB)
   */
  maxBodyBytes?: number;
  /**
   * `'strict'` checks each delivery against core's filtered-stream schema (a
   * mismatch is answered 400 and reported); `'off'` only parses JSON (ids
   * stay exact), for the highest throughput.
   * @default 'strict'
   */
  validate?: 'strict' | 'off';
  /**
   * Deduplication of posts X sends more than once (retries, replays,
   * redundant links): `true` for an in-memory window (`MemoryDedupeStore`,
   * 10 minutes), its options, a shared store (`RedisDeliveryDedupe` from
   * `@birdstream/redis` for several instances), or `false`.
   * @default true
   */
  dedupe?: boolean | MemoryDedupeStoreOptions | DeliveryDedupeStore;
  /**
   * How long X waits for a consumer before it is answered 503 (X allows 10 s).
   * @default 8_000
   */
  handoffTimeoutMs?: number;
  /** Lifecycle event handlers (`crc`, `verified`, `rejected`, `duplicate`, …). @default {} */
  on?: WebhookEventHandlers;
  /** Where time comes from (event times, the hand-over timeout, dedupe). @default systemClock */
  clock?: Clock;
  /**
   * Environment variables to read `X_CONSUMER_SECRET` from (a worker's `env`).
   * @default process.env where there is one
   */
  env?: Readonly<Record<string, string | undefined>>;
}
