import { streamParams } from '@birdstream/core';
import { describe, expectTypeOf, test } from 'vitest';
import { WebhookReceiver } from '../src/index.js';
import { fromWebhook } from '../src/rx.js';

describe('deliveries are typed by the link’s fields, as the stream’s posts are', () => {
  test('onDelivery, the iterator and the Observable', async () => {
    const fields = streamParams({ 'tweet.fields': ['created_at'], expansions: ['author_id'] });
    const receiver = new WebhookReceiver({
      consumerSecret: 'x',
      fields,
      onDelivery: ({ response }) => {
        expectTypeOf(response.data.created_at).toEqualTypeOf<string>();
        expectTypeOf(response.includes.users).toBeArray();
        expectTypeOf(response.matching_rules).toBeArray();
      },
    });
    for await (const { response, id } of receiver) {
      expectTypeOf(id).toEqualTypeOf<string>();
      expectTypeOf(response.data.created_at).toEqualTypeOf<string>();
    }
    fromWebhook(receiver).subscribe(({ response }) => {
      expectTypeOf(response.data.created_at).toEqualTypeOf<string>();
    });
  });

  test('fields written inline narrow too; without fields only the default ones are guaranteed', () => {
    new WebhookReceiver({
      consumerSecret: 'x',
      fields: { 'tweet.fields': ['lang'] },
      onDelivery: ({ response }) => {
        expectTypeOf(response.data.lang).toEqualTypeOf<string>();
      },
    });
    new WebhookReceiver({
      consumerSecret: 'x',
      onDelivery: ({ response }) => {
        expectTypeOf(response.data.text).toEqualTypeOf<string>();
        expectTypeOf(response.data.created_at).toEqualTypeOf<string | undefined>();
        // @ts-expect-error no expansion: no includes guaranteed
        response.includes.users;
      },
    });
  });
});
