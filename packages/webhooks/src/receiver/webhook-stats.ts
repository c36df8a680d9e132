import type { HandoffFailureReason, WebhookRejectReason } from './webhook-error.js';

/** Counters of a `WebhookReceiver` (a snapshot from `receiver.stats`). */
export interface WebhookStats {
  /** Requests seen (CRCs, deliveries, refused ones). */
  requests: number;
  /** CRCs answered. */
  crc: number;
  /** Deliveries whose signature verified. */
  verified: number;
  /** Posts handed over (answered 200). */
  delivered: number;
  /** Posts dropped as already handed over (answered 200). */
  duplicates: number;
  /** Signed objects that were not posts (answered 200, `unrecognized` events). */
  unrecognized: number;
  /** Refused requests, by reason. */
  rejected: Partial<Record<WebhookRejectReason, number>>;
  /** Verified posts not handed over (answered 5xx, X retries), by reason. */
  handoffFailures: Partial<Record<HandoffFailureReason, number>>;
  /** Posts being handed over right now. */
  inFlight: number;
  /** Clock time of the last post handed over; `undefined` before the first. */
  lastDeliveryAt: number | undefined;
}

export function emptyWebhookStats(): WebhookStats {
  return {
    requests: 0,
    crc: 0,
    verified: 0,
    delivered: 0,
    duplicates: 0,
    unrecognized: 0,
    rejected: {},
    handoffFailures: {},
    inFlight: 0,
    lastDeliveryAt: undefined,
  };
}
