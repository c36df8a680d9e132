// @birdstream/webhooks' WebhookReceiver (the built package, under this runtime's export
// condition), as the handler `serve-handler.mjs` serves with Bun.serve / Deno.serve. The consumer
// secret comes from X_CONSUMER_SECRET, as a user's would. Every delivery is printed twice, once
// from the `onDelivery` listener and once from the `deliveries()` stream, with the post id as
// each received it; the receiver's events are printed too.
import { WebhookReceiver } from '@birdstream/webhooks';
import { emit } from '../lib.mjs';

function describeDelivery(via, delivery) {
  return {
    type: 'delivery',
    via,
    id: delivery.id,
    dataId: delivery.response.data.id,
    dataIdType: typeof delivery.response.data.id,
    text: delivery.text,
  };
}

const receiver = new WebhookReceiver({
  onDelivery: (delivery) => emit(describeDelivery('onDelivery', delivery)),
  on: {
    crc: () => emit({ type: 'event', event: { type: 'crc' } }),
    duplicate: (event) => emit({ type: 'event', event: { type: 'duplicate', id: event.id } }),
    rejected: (event) =>
      emit({
        type: 'event',
        event: { type: 'rejected', reason: event.reason, status: event.status },
      }),
  },
});

(async () => {
  for await (const delivery of receiver.deliveries()) {
    emit(describeDelivery('deliveries', delivery));
  }
})();

export default receiver;
