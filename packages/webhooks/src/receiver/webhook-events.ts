import type { BirdstreamError } from '@birdstream/core';
import type { HandoffFailureReason, WebhookRejectReason } from './webhook-error.js';

/**
 * What happens at a webhook, for logs and metrics. No event holds a secret,
 * a signature, a CRC token or a header; `rejected` holds the refused body
 * only in its error's non-enumerable `raw` (a `PayloadError`), never in JSON.
 */
export type WebhookEvent =
  /** A CRC was answered (200 with the `response_token`). */
  | { type: 'crc'; at: number }
  /** A delivery's signature matched consumer secret number `secretIndex` (0 = the first). */
  | { type: 'verified'; at: number; byteLength: number; secretIndex: number }
  /** A request was refused with a 4xx (or a 500 for `body-consumed`); nothing was handed over. */
  | {
      type: 'rejected';
      at: number;
      reason: WebhookRejectReason;
      status: number;
      error: BirdstreamError;
    }
  /** A post handed over before came again (a retry, a replay, a second link): answered 200, dropped. */
  | { type: 'duplicate'; at: number; id: string }
  /** A post was handed over and X was answered 200. */
  | { type: 'delivered'; at: number; id: string }
  /** A verified post was not handed over: answered `status` (5xx), so X retries it. */
  | {
      type: 'handoff-failed';
      at: number;
      id: string;
      reason: HandoffFailureReason;
      status: number;
      error: BirdstreamError;
    }
  /**
   * A signed JSON object that is not a post (no `data`): another product's event on a shared
   * URL, or an error-only message. Answered 200; `value` is the parsed object.
   */
  | { type: 'unrecognized'; at: number; value: unknown }
  /** Something failed after X was answered (a dedupe store that could not record a delivery). */
  | { type: 'error'; at: number; error: BirdstreamError };

/** The type names of {@link WebhookEvent}. */
export type WebhookEventType = WebhookEvent['type'];

/** Every event type, to listen to all of them (`webhookEvents()` of `/rx` does). */
export const WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = [
  'crc',
  'verified',
  'rejected',
  'duplicate',
  'delivered',
  'handoff-failed',
  'unrecognized',
  'error',
];

/** The event of type `K`. */
export type WebhookEventOf<K extends WebhookEventType> = Extract<WebhookEvent, { type: K }>;

/** Handlers by event type, for the `on` option. */
export type WebhookEventHandlers = {
  [K in WebhookEventType]?: (event: WebhookEventOf<K>) => void;
};
