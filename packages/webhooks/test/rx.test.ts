import { filter, firstValueFrom, map, take, toArray } from 'rxjs';
import { describe, expect, test } from 'vitest';
import { WebhookReceiver } from '../src/index.js';
import { fromWebhook, webhookEvents } from '../src/rx.js';
import { deliveryRequest, postBody, read, SECRET } from './support/deliveries.js';

describe('@birdstream/webhooks/rx', () => {
  test('fromWebhook: each subscription is a consumer; X is answered 200 once next() returned', async () => {
    const receiver = new WebhookReceiver({ consumerSecret: SECRET });
    const texts = firstValueFrom(
      fromWebhook(receiver).pipe(
        map(({ response }) => response.data.text),
        take(2),
        toArray(),
      ),
    );
    expect(
      (await read(await receiver.fetch(deliveryRequest(postBody('1', 'one'))))).json.status,
    ).toBe('delivered');
    expect(
      (await read(await receiver.fetch(deliveryRequest(postBody('2', 'two'))))).json.status,
    ).toBe('delivered');
    expect(await texts).toEqual(['one', 'two']);
    // Unsubscribed (take(2) completed): nobody takes the next one, X is answered 503 and retries.
    const after = await read(await receiver.fetch(deliveryRequest(postBody('3'))));
    expect([after.status, after.json.error]).toEqual([503, 'no-consumer']);
  });

  test('webhookEvents: lifecycle events as an Observable', async () => {
    const receiver = new WebhookReceiver({ consumerSecret: SECRET, onDelivery: () => undefined });
    const rejected = firstValueFrom(
      webhookEvents(receiver).pipe(filter((e) => e.type === 'rejected')),
    );
    await receiver.fetch(deliveryRequest(postBody('4'), { signature: null }));
    expect(await rejected).toMatchObject({
      type: 'rejected',
      reason: 'missing-signature',
      status: 401,
    });
  });
});
