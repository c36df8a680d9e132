import { StreamClient, type TweetComplianceMessage } from '@birdstream/core';
import { describe, expectTypeOf, test } from 'vitest';
import { fromPartitions, fromStream, type StreamEvent } from '../src/index.js';

const client = new StreamClient({ bearerToken: 't' });
type ResponseOf<E> = E extends { type: 'response'; response: infer R } ? R : never;
type Emitted<O> = O extends { subscribe(observer: (value: infer V) => void): unknown } ? V : never;

describe('rx sources for every stream', () => {
  test('fromStream types likes by the requested fields', () => {
    const likes = fromStream(client, 'likes-sample10', {
      partition: 2,
      'like_with_tweet_author.fields': ['created_at'],
    });
    type L = ResponseOf<Emitted<typeof likes>>;
    expectTypeOf<L['data']['created_at']>().toEqualTypeOf<string>();
    // @ts-expect-error likes sample10 has 2 partitions
    fromStream(client, 'likes-sample10', { partition: 3 });
  });

  test('fromPartitions tags every event with its partition and keeps the stream’s type', () => {
    const compliance = fromPartitions(client, 'tweets-compliance', { partitions: 'all' });
    type E = Emitted<typeof compliance>;
    expectTypeOf<E['partition']>().toEqualTypeOf<number>();
    expectTypeOf<ResponseOf<E>>().toEqualTypeOf<TweetComplianceMessage>();
    expectTypeOf<E>().toMatchTypeOf<StreamEvent<TweetComplianceMessage>>();
    // @ts-expect-error compliance partitions are 1 to 4
    fromPartitions(client, 'tweets-compliance', { partitions: [5] });
  });
});
