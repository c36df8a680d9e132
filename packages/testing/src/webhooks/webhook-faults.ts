/**
 * Faults of the emulator's webhook deliveries: what can go wrong between X
 * and a webhook. Each applies to the next `count` delivery attempts (to any
 * webhook, or to `webhookId`'s). A faulty attempt fails at the receiver (or
 * on the wire), and X retries it like any failed delivery.
 */
export type WebhookFault =
  /** The attempt is signed with another secret: a receiver must answer 401. */
  | { type: 'bad-signature'; count?: number; webhookId?: string }
  /** Only the first half of the body is sent (with a matching Content-Length): the signature no longer matches, 401. */
  | { type: 'truncated-body'; count?: number; webhookId?: string }
  /** The connection is cut halfway through the body: a network error for X. */
  | { type: 'cut-body'; count?: number; webhookId?: string }
  /** After the next successful delivery, X sends the same body again (X documents duplicates). */
  | { type: 'redeliver'; count?: number; webhookId?: string };

/** The type names of {@link WebhookFault}. */
export type WebhookFaultType = WebhookFault['type'];

/** Every webhook fault type, for random faults. */
export const WEBHOOK_FAULT_TYPES: readonly WebhookFaultType[] = [
  'bad-signature',
  'truncated-body',
  'cut-body',
  'redeliver',
];
