import {
  type ActivityMessage,
  complianceEvent,
  type EndpointStream,
  type FilteredStreamParams,
  type LikeStreamResponseFor,
  type PartitionedStream,
  type PartitionRange,
  StreamClient,
  type StreamResponseFor,
  streamParams,
  type TweetComplianceMessage,
  type UserFor,
} from '@birdstream/core';
import { describe, expectTypeOf, test } from 'vitest';

const client = new StreamClient({ bearerToken: 't' });
type Item<S> =
  S extends EndpointStream<infer T> ? T : S extends PartitionedStream<infer T> ? T : never;

describe('likes responses are narrowed like posts', () => {
  test('requested like fields and expansions become non-optional', () => {
    const stream = client.likesFirehose({
      partition: 3,
      'like_with_tweet_author.fields': ['created_at', 'timestamp_ms'],
      expansions: ['liked_tweet_id', 'liked_tweet_author_id'],
      'user.fields': ['created_at'],
      'tweet.fields': ['lang'],
    });
    type L = Item<typeof stream>;
    expectTypeOf<L['data']['id']>().toEqualTypeOf<string>();
    expectTypeOf<L['data']['created_at']>().toEqualTypeOf<string>();
    expectTypeOf<L['data']['timestamp_ms']>().toEqualTypeOf<number>();
    expectTypeOf<L['data']['liked_tweet_id']>().toEqualTypeOf<string>();
    expectTypeOf<L['includes']['tweets'][number]['lang']>().toEqualTypeOf<string>();
    expectTypeOf<L['includes']['users'][number]['created_at']>().toEqualTypeOf<string>();
  });

  test('without fields, only id is guaranteed and includes is optional', () => {
    type L = LikeStreamResponseFor<{ partition: 1 }>;
    expectTypeOf<L['data']['created_at']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<L['data']['liked_tweet_id']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<L['includes']>().toMatchTypeOf<object | undefined>();
    expectTypeOf<undefined>().toMatchTypeOf<L['includes']>();
  });

  test('post fields and partitions out of range are type errors', () => {
    // @ts-expect-error author_id is not a likes expansion
    client.likesFirehose({ partition: 1, expansions: ['author_id'] });
    // @ts-expect-error likes sample10 has partitions 1 and 2
    client.likesSample10({ partition: 3 });
    // @ts-expect-error the likes firehose has 20 partitions
    client.likesFirehose({ partition: 21 });
  });
});

describe('partitions are literal ranges per stream', () => {
  test('PartitionRange', () => {
    expectTypeOf<PartitionRange<4>>().toEqualTypeOf<1 | 2 | 3 | 4>();
  });

  test('language firehoses: en 1–8, the others 1–2', () => {
    client.firehoseLang('en', { partition: 8 });
    // @ts-expect-error en has 8 partitions
    client.firehoseLang('en', { partition: 9 });
    // @ts-expect-error ja has 2 partitions
    client.firehoseLang('ja', { partition: 3 });
    // @ts-expect-error there is no German firehose
    client.firehoseLang('de', { partition: 1 });
    const stream = client.firehoseLang('pt', { partition: 2, 'tweet.fields': ['lang'] });
    expectTypeOf<Item<typeof stream>['data']['lang']>().toEqualTypeOf<string>();
  });

  test('compliance takes partitions 1–4 and no field parameters', () => {
    client.tweetsCompliance({ partition: 4, backfill_minutes: 5 });
    // @ts-expect-error 1 to 4
    client.usersCompliance({ partition: 5 });
    // @ts-expect-error no field parameters on compliance streams
    client.tweetsCompliance({ partition: 1, 'tweet.fields': ['lang'] });
    client.likesCompliance();
    client.labels({ start_time: '2026-01-01T00:00:00Z' });
  });
});

describe('event streams yield their family’s messages', () => {
  test('compliance data is a union of event kinds; complianceEvent() narrows it', () => {
    const stream = client.tweetsCompliance({ partition: 1 });
    expectTypeOf<Item<typeof stream>>().toEqualTypeOf<TweetComplianceMessage>();
    const data = {} as TweetComplianceMessage['data'];
    if ('delete' in data) expectTypeOf(data.delete.tweet.id).toEqualTypeOf<string>();
    const event = complianceEvent(data);
    if (event?.kind === 'withheld') {
      expectTypeOf(event.event.withheld_in_countries).toEqualTypeOf<string[]>();
    }
    if (event?.kind === 'favorite_delete') {
      expectTypeOf(event.event.favorite.user_id).toEqualTypeOf<string>();
    }
  });

  test('activity events carry event_uuid', () => {
    const stream = client.activity();
    expectTypeOf<Item<typeof stream>>().toEqualTypeOf<ActivityMessage>();
    expectTypeOf<ActivityMessage['data']['event_uuid']>().toEqualTypeOf<string>();
  });
});

describe('client.partitions()', () => {
  test('yields the stream’s narrowed type; partitions are the stream’s range', () => {
    const firehose = client.partitions('firehose', {
      partitions: [1, 20],
      params: { 'tweet.fields': ['created_at'] },
    });
    expectTypeOf<Item<typeof firehose>['data']['created_at']>().toEqualTypeOf<string>();
    const compliance = client.partitions('tweets-compliance', { partitions: 'all' });
    expectTypeOf<Item<typeof compliance>>().toEqualTypeOf<TweetComplianceMessage>();
    // @ts-expect-error compliance has partitions 1 to 4
    client.partitions('tweets-compliance', { partitions: [5] });
    // @ts-expect-error the filtered stream has no partitions
    client.partitions('filter', { partitions: 'all' });
    // @ts-expect-error partition is chosen by the selection, not the params
    client.partitions('firehose', { partitions: [1], params: { 'tweet.fields': ['nope'] } });
  });

  test('listeners receive the partition', () => {
    const stream = client.partitions('likes-firehose', { partitions: [1] });
    stream.on('reconnecting', (event) => {
      expectTypeOf(event.partition).toEqualTypeOf<number>();
      expectTypeOf(event.delayMs).toEqualTypeOf<number>();
    });
  });
});

describe('streamParams(): params in a variable keep their narrowing (issue 14 item 11)', () => {
  test('with the helper', () => {
    const params = streamParams({ 'tweet.fields': ['created_at'], expansions: ['author_id'] });
    const stream = client.filter(params);
    expectTypeOf<Item<typeof stream>['data']['created_at']>().toEqualTypeOf<string>();
    expectTypeOf<Item<typeof stream>['includes']['users']>().toEqualTypeOf<
      UserFor<typeof params>[]
    >();
  });

  test('as const satisfies does the same without a call', () => {
    const params = { 'tweet.fields': ['lang'] } as const satisfies FilteredStreamParams;
    const stream = client.filter(params);
    expectTypeOf<Item<typeof stream>['data']['lang']>().toEqualTypeOf<string>();
  });

  test('a plain variable widens and narrows nothing (what the helper fixes)', () => {
    const params = { 'tweet.fields': ['lang' as const] };
    const stream = client.filter(params);
    expectTypeOf<Item<typeof stream>['data']['lang']>().toEqualTypeOf<string | undefined>();
  });

  test('unknown values are still type errors', () => {
    // @ts-expect-error not a tweet field
    streamParams({ 'tweet.fields': ['created'] });
  });

  test('StreamResponseFor maps every stream', () => {
    expectTypeOf<StreamResponseFor<'labels'>['data']>().toMatchTypeOf<object>();
    expectTypeOf<
      StreamResponseFor<'firehose-en', { 'tweet.fields': ['lang'] }>['data']['lang']
    >().toEqualTypeOf<string>();
  });
});
