import { type HandoffFailureReason, WebhookError } from './webhook-error.js';

/** The status and sentence of each hand-over failure: 500 when your code failed, else 503. */
const FAILURES: Record<HandoffFailureReason, { status: number; message: string }> = {
  'consumer-error': {
    status: 500,
    message: 'The delivery consumer failed; X was answered 500 and retries the delivery.',
  },
  'no-consumer': {
    status: 503,
    message:
      'No consumer was attached (onDelivery, an iterator or a subscriber); X was answered 503 and retries. Attach one before X sends deliveries.',
  },
  'buffer-full': {
    status: 503,
    message:
      'The iterator buffer was full (bufferSize); X was answered 503 and retries. Consume faster or raise bufferSize.',
  },
  timeout: {
    status: 503,
    message:
      'The delivery was not handed over within handoffTimeoutMs; X was answered 503 and retries (if the consumer finishes later, the retry counts as a duplicate).',
  },
  'consumer-left': {
    status: 503,
    message:
      'The iterator left its loop while holding the delivery; X was answered 503 and redelivers it.',
  },
  'in-flight-elsewhere': {
    status: 503,
    message:
      'Another instance is handing this post over right now; X was answered 503 and its retry is answered as a duplicate once that instance is done.',
  },
  'dedupe-unavailable': {
    status: 503,
    message:
      'The dedupe store could not be reached; X was answered 503 and retries. Check the store (Redis) connection.',
  },
  closed: {
    status: 503,
    message: 'The webhook receiver is closed; X was answered 503 and retries.',
  },
};

/** The error of a hand-over failure. */
export function handoffFailure(reason: HandoffFailureReason, cause?: unknown): WebhookError {
  const { status, message } = FAILURES[reason];
  return new WebhookError(reason, status, message, cause === undefined ? undefined : { cause });
}
