import { describe, expectTypeOf, test } from 'vitest';
import type { FieldParams, FilteredStreamParams } from '../../src/params/stream-params.js';
import type {
  MatchingRule,
  Media,
  OpenEnum,
  Problem,
  Tweet,
  User,
} from '../../src/schemas/index.js';
import type {
  FilteredStreamResponseFor,
  IncludesFor,
  MediaFor,
  PlaceFor,
  PollFor,
  SampleStreamResponseFor,
  TweetFor,
  UserFor,
} from '../../src/types/index.js';

/** What the stream client's `filter()` does with its params: a `const` type parameter. */
declare function filter<const P extends FilteredStreamParams>(
  params: P,
): FilteredStreamResponseFor<P>;
declare function sample<const P extends FieldParams>(params: P): SampleStreamResponseFor<P>;

describe('FilteredStreamResponseFor', () => {
  test('the issue example: created_at and author_id are strings, includes.users is present', () => {
    const response = filter({ 'tweet.fields': ['created_at'], expansions: ['author_id'] });
    expectTypeOf(response.data.created_at).toEqualTypeOf<string>();
    expectTypeOf(response.data.author_id).toEqualTypeOf<string>();
    expectTypeOf(response.includes.users).toEqualTypeOf<UserFor<{ expansions: ['author_id'] }>[]>();
    expectTypeOf(response.includes.users[0]!.username).toEqualTypeOf<string>();
    expectTypeOf(response.matching_rules).toEqualTypeOf<MatchingRule[]>();
    expectTypeOf(response.errors).toEqualTypeOf<Problem[] | undefined>();
  });

  test('fields not requested stay optional; id, text, edit_history_tweet_ids are always there', () => {
    const response = filter({ 'tweet.fields': ['created_at'] });
    expectTypeOf(response.data.id).toEqualTypeOf<string>();
    expectTypeOf(response.data.text).toEqualTypeOf<string>();
    expectTypeOf(response.data.edit_history_tweet_ids).toEqualTypeOf<string[]>();
    expectTypeOf(response.data.lang).toEqualTypeOf<string | undefined>();
    expectTypeOf(response.data.author_id).toEqualTypeOf<string | undefined>();
    expectTypeOf(response.data).toHaveProperty('public_metrics');
    expectTypeOf<undefined>().toMatchTypeOf<typeof response.data.public_metrics>();
    // no expansion guarantees includes
    expectTypeOf(response.includes).toEqualTypeOf<
      IncludesFor<{ 'tweet.fields': ['created_at'] }> | undefined
    >();
  });

  test('a requested field that only some posts have stays optional (geo, entities, attachments, …)', () => {
    const response = filter({
      'tweet.fields': [
        'geo',
        'entities',
        'attachments',
        'in_reply_to_user_id',
        'withheld',
        'lang',
        'public_metrics',
      ],
    });
    expectTypeOf(response.data.geo).toEqualTypeOf<Tweet['geo']>();
    expectTypeOf(response.data.entities).toEqualTypeOf<Tweet['entities']>();
    expectTypeOf(response.data.attachments).toEqualTypeOf<Tweet['attachments']>();
    expectTypeOf(response.data.in_reply_to_user_id).toEqualTypeOf<string | undefined>();
    expectTypeOf(response.data.lang).toEqualTypeOf<string>();
    expectTypeOf(response.data.public_metrics).toEqualTypeOf<
      NonNullable<Tweet['public_metrics']>
    >();
  });

  test('user.fields narrow the users in includes the same way', () => {
    const response = filter({
      expansions: ['author_id'],
      'user.fields': ['created_at', 'public_metrics', 'location', 'verified'],
    });
    const user = response.includes.users[0]!;
    expectTypeOf(user.created_at).toEqualTypeOf<string>();
    expectTypeOf(user.verified).toEqualTypeOf<boolean>();
    expectTypeOf(user.public_metrics.followers_count).toEqualTypeOf<number>();
    expectTypeOf(user.location).toEqualTypeOf<string | undefined>(); // not every user sets one
    expectTypeOf(user.description).toEqualTypeOf<string | undefined>(); // not requested
  });

  test('conditional expansions give optional collections, narrowed by their fields', () => {
    const response = filter({
      expansions: [
        'attachments.media_keys',
        'geo.place_id',
        'attachments.poll_ids',
        'referenced_tweets.id',
      ],
      'media.fields': ['width', 'url'],
      'place.fields': ['country_code'],
      'poll.fields': ['voting_status'],
      'tweet.fields': ['created_at'],
    });
    expectTypeOf(response.includes).toEqualTypeOf<IncludesFor<typeof params> | undefined>();
    const includes = response.includes!;
    expectTypeOf(includes.media).toEqualTypeOf<MediaFor<typeof params>[] | undefined>();
    expectTypeOf(includes.media![0]!.width).toEqualTypeOf<number>();
    expectTypeOf(includes.media![0]!.url).toEqualTypeOf<string | undefined>(); // videos have none
    expectTypeOf(includes.media![0]!.media_key).toEqualTypeOf<string>();
    expectTypeOf(includes.places![0]!.country_code).toEqualTypeOf<string>();
    expectTypeOf(includes.polls![0]!.voting_status).toEqualTypeOf<OpenEnum<'open' | 'closed'>>();
    expectTypeOf<PollFor<{}>['voting_status']>().toEqualTypeOf<
      OpenEnum<'open' | 'closed'> | undefined
    >();
    expectTypeOf(includes.tweets![0]!.created_at).toEqualTypeOf<string>();
    expectTypeOf(includes.users).toEqualTypeOf<UserFor<typeof params>[] | undefined>();
    // the author_id expansion was not requested: author_id stays optional
    expectTypeOf(response.data.author_id).toEqualTypeOf<string | undefined>();
  });

  test('with no params: the default fields only', () => {
    const response = filter({});
    expectTypeOf(response.data.id).toEqualTypeOf<string>();
    expectTypeOf(response.data.created_at).toEqualTypeOf<string | undefined>();
    expectTypeOf(response.includes).toEqualTypeOf<IncludesFor<{}> | undefined>();
    expectTypeOf<TweetFor<{}>>().toEqualTypeOf<TweetFor<FilteredStreamParams>>();
  });

  test('with wide (non-literal) params nothing beyond the defaults is promised', () => {
    const wide: FilteredStreamParams = {
      'tweet.fields': ['created_at'],
      expansions: ['author_id'],
    };
    const response = filter(wide);
    expectTypeOf(response.data.created_at).toEqualTypeOf<string | undefined>();
    expectTypeOf(response.data.author_id).toEqualTypeOf<string | undefined>();
    expectTypeOf(response.data.edit_history_tweet_ids).toEqualTypeOf<string[]>();
    expectTypeOf(response.includes).toEqualTypeOf<IncludesFor<FilteredStreamParams> | undefined>();
    const fields: ('created_at' | 'lang')[] = [];
    expectTypeOf(filter({ 'tweet.fields': fields }).data.created_at).toEqualTypeOf<
      string | undefined
    >();
  });

  test('the narrowed post is still a Tweet (assignable both ways where it matters)', () => {
    const response = filter({ 'tweet.fields': ['created_at', 'author_id'] });
    expectTypeOf(response.data).toMatchTypeOf<Tweet>();
    expectTypeOf(response.data).not.toEqualTypeOf<Tweet>();
    expectTypeOf<MediaFor<{}>>().toMatchTypeOf<Media>();
    expectTypeOf<UserFor<{}>>().toMatchTypeOf<User>();
    expectTypeOf<PlaceFor<{ 'place.fields': ['geo'] }>['geo']>().not.toBeUndefined();
  });

  test('unknown field and expansion values are type errors', () => {
    // @ts-expect-error 'nope' is not a tweet field
    filter({ 'tweet.fields': ['nope'] });
    // @ts-expect-error not an expansion
    filter({ expansions: ['author'] });
    // @ts-expect-error user fields go in user.fields
    filter({ 'tweet.fields': ['username', 'profile_image_url'] });
    // @ts-expect-error a typo'd field on the narrowed post
    filter({ 'tweet.fields': ['created_at'] }).data.craeted_at;
  });
});

describe('SampleStreamResponseFor', () => {
  test('narrows the same way and has no matching_rules', () => {
    const response = sample({ 'tweet.fields': ['lang'], expansions: ['author_id'] });
    expectTypeOf(response.data.lang).toEqualTypeOf<string>();
    expectTypeOf(response.includes.users).toBeArray();
    expectTypeOf(response).not.toHaveProperty('matching_rules');
  });
});

const params = {
  expansions: [
    'attachments.media_keys',
    'geo.place_id',
    'attachments.poll_ids',
    'referenced_tweets.id',
  ],
  'media.fields': ['width', 'url'],
  'place.fields': ['country_code'],
  'poll.fields': ['voting_status'],
  'tweet.fields': ['created_at'],
} as const satisfies FilteredStreamParams;
