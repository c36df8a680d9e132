import type { WebhookEvent, WebhookStats } from '@birdstream/webhooks';

/** One stderr line per webhook event; never a body, a header or a secret. */
export function describeWebhookEvent(event: WebhookEvent): string {
  switch (event.type) {
    case 'crc':
      return 'CRC answered.';
    case 'rejected':
      return `Refused (${event.status} ${event.reason}): ${event.error.message}`;
    case 'duplicate':
      return `Duplicate of post ${event.id} (answered 200, not written again).`;
    case 'handoff-failed':
      return `Post ${event.id} not written (${event.status} ${event.reason}); X retries it.`;
    case 'unrecognized':
      return 'A signed object that is not a post was answered 200 and skipped.';
    case 'error':
      return event.error.message;
    default:
      return event.type;
  }
}

/** The closing line: what the receiver did. */
export function webhookSummary(stats: WebhookStats): string {
  const rejected = Object.values(stats.rejected).reduce((a, b) => a + (b ?? 0), 0);
  const failed = Object.values(stats.handoffFailures).reduce((a, b) => a + (b ?? 0), 0);
  return `Stopped: ${stats.delivered} posts written, ${stats.duplicates} duplicates dropped, ${rejected} requests refused, ${failed} deliveries answered 5xx (X retries them), ${stats.crc} CRCs answered.`;
}
