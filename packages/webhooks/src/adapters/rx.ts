import { Observable } from 'rxjs';
import type { WebhookDelivery } from '../receiver/webhook-delivery.js';
import { WEBHOOK_EVENT_TYPES, type WebhookEvent } from '../receiver/webhook-events.js';
import type { WebhookReceiver } from '../receiver/webhook-receiver.js';

/** What the sources need of a receiver. */
type Receiver<R> = {
  attach(consumer: (delivery: WebhookDelivery<R>, signal: AbortSignal) => void): () => void;
};

/**
 * A receiver's deliveries as an Observable: each subscription is a consumer
 * of the receiver while it lasts. A delivery counts as handed over (X is
 * answered 200) once the subscriber's `next` has returned; work done later
 * (after `mergeMap`, `observeOn`) is not waited for: use `onDelivery` or the
 * async iterator when X must wait for it. With no subscriber, X is answered
 * 503 and retries.
 *
 * @example
 * ```ts
 * fromWebhook(receiver)
 *   .pipe(map(({ response }) => response.data.text))
 *   .subscribe((text) => console.log(text));
 * ```
 */
export function fromWebhook<P extends object>(
  receiver: WebhookReceiver<P>,
): Observable<
  WebhookDelivery<Parameters<Parameters<WebhookReceiver<P>['attach']>[0]>[0]['response']>
> {
  return new Observable((subscriber) =>
    (receiver as unknown as Receiver<unknown>).attach((delivery) => {
      subscriber.next(delivery as never);
    }),
  );
}

/**
 * A receiver's lifecycle events (`crc`, `verified`, `rejected`, `duplicate`,
 * `delivered`, `handoff-failed`, `unrecognized`, `error`) as an Observable,
 * for metrics and alerts: `webhookEvents(receiver).pipe(filter((e) => e.type === 'rejected'))`.
 */
export function webhookEvents(receiver: Pick<WebhookReceiver, 'on'>): Observable<WebhookEvent> {
  return new Observable((subscriber) => {
    const offs = WEBHOOK_EVENT_TYPES.map((type) =>
      receiver.on(type, (event) => subscriber.next(event as WebhookEvent)),
    );
    return () => {
      for (const off of offs) off();
    };
  });
}
