import { BirdstreamError, isBirdstreamError } from '@birdstream/core';

/**
 * Why a request to the webhook was refused before its delivery could be
 * handed over (answered 4xx), or why a verified delivery was not handed over
 * (answered 5xx, so X retries).
 */
export type WebhookRejectReason =
  /** Not GET (CRC) or POST (delivery): 405. */
  | 'method-not-allowed'
  /** A GET without `crc_token`: 400. */
  | 'missing-crc-token'
  /** A `crc_token` containing `{`: 400. It could be the text of a delivery (see decisions/0018). */
  | 'crc-token-refused'
  /** No `x-twitter-webhooks-signature` header: 401, the body is not read. */
  | 'missing-signature'
  /** A signature that is malformed or matches no consumer secret: 401, the body is not parsed. */
  | 'bad-signature'
  /** A body over `maxBodyBytes` (by `Content-Length`, or while reading): 413. */
  | 'too-large'
  /** The body could not be read to its end (the connection broke): 400. */
  | 'unreadable-body'
  /** Signed, but not JSON: 400. */
  | 'invalid-json'
  /** Signed JSON that is not a filtered-stream message (strict validation): 400. */
  | 'schema-mismatch'
  /** A message with `data` but no post id to deduplicate by: 400. */
  | 'no-post-id'
  /** Middleware (express.json(), a Hono body reader) consumed the raw body before the handler: 500. */
  | 'body-consumed';

/** Why a verified delivery was not handed over; X retries every one of these. */
export type HandoffFailureReason =
  /** Your `onDelivery` (or every consumer) threw or rejected: 500. */
  | 'consumer-error'
  /** No `onDelivery`, no iterator and no subscriber was attached: 503. */
  | 'no-consumer'
  /** The iterator's buffer was full: 503. */
  | 'buffer-full'
  /** Not handed over within `handoffTimeoutMs`: 503 (it is still committed if it finishes later). */
  | 'timeout'
  /** An iterator left (`break`, `return`, a throw) while holding it: 503. */
  | 'consumer-left'
  /** Another instance is handing the same post over right now (a shared dedupe store): 503. */
  | 'in-flight-elsewhere'
  /** The dedupe store could not be reached: 503. */
  | 'dedupe-unavailable'
  /** The receiver is closed: 503. */
  | 'closed';

/**
 * A refused webhook request or a delivery that was not handed over, as the
 * `rejected` and `handoff-failed` events report it. Never thrown at X: the
 * HTTP answer is the status. The message never quotes the body, a header,
 * the CRC token or a secret.
 */
export class WebhookError extends BirdstreamError {
  override name = 'WebhookError';
  readonly reason: WebhookRejectReason | HandoffFailureReason;
  /** The HTTP status the request was answered with. */
  readonly status: number;

  constructor(
    reason: WebhookRejectReason | HandoffFailureReason,
    status: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('webhook', message, options);
    this.reason = reason;
    this.status = status;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), reason: this.reason, status: this.status };
  }
}

/** True for a {@link WebhookError} (any copy of the package). */
export function isWebhookError(value: unknown): value is WebhookError {
  return isBirdstreamError(value) && value.code === 'webhook';
}
