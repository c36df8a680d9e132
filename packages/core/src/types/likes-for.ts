import type { Includes } from '../schemas/includes.js';
import type { LikeWithTweetAuthor } from '../schemas/likes.js';
import type { Problem } from '../schemas/problems.js';
import type { IncludedTweetFor, UserFor } from './objects-for.js';
import type { Requested, Simplify, WithRequired } from './requested.js';

/**
 * `like_with_tweet_author.fields` present on every like once requested. The
 * author is not among them: OpenAPI 2.159 names the field
 * `liked_tweet_author_id` but the object property `tweet_author_id`, so
 * both stay optional until a recording settles it.
 */
export type GuaranteedLikeField = 'id' | 'created_at' | 'liked_tweet_id' | 'timestamp_ms';

/**
 * A like as returned for `Params`: `id` always; requested
 * `like_with_tweet_author.fields` (and `liked_tweet_id` when that expansion
 * is requested) become non-optional.
 *
 * @example
 * type L = LikeFor<{ 'like_with_tweet_author.fields': ['created_at'] }>; // L['created_at'] is string
 */
export type LikeFor<Params> = WithRequired<
  LikeWithTweetAuthor,
  | 'id'
  | (Requested<Params, 'like_with_tweet_author.fields'> & GuaranteedLikeField)
  | (Requested<Params, 'expansions'> & 'liked_tweet_id')
>;

/** Collections the likes expansions guarantee: every like has a liked post and its author. */
type GuaranteedLikeIncludes<Params> =
  | ('liked_tweet_id' extends Requested<Params, 'expansions'> ? 'tweets' : never)
  | ('liked_tweet_author_id' extends Requested<Params, 'expansions'> ? 'users' : never);

/** `includes` of a likes message: liked posts narrowed by `tweet.fields`, their authors by `user.fields`. */
export type LikeIncludesFor<Params> = WithRequired<
  Simplify<
    Omit<Includes, 'tweets' | 'users'> & {
      tweets?: IncludedTweetFor<Params>[];
      users?: UserFor<Params>[];
    }
  >,
  GuaranteedLikeIncludes<Params>
>;

/**
 * A likes-stream message carrying a like, typed by the request: `data`
 * narrowed by `like_with_tweet_author.fields`; `includes` present with
 * `tweets` when `liked_tweet_id` is expanded and `users` when
 * `liked_tweet_author_id` is.
 *
 * @example
 * ```ts
 * const stream = client.likesFirehose({ partition: 1, expansions: ['liked_tweet_id'] });
 * for await (const { data, includes } of stream) console.log(data.id, includes.tweets[0]?.text);
 * ```
 */
export type LikeStreamResponseFor<Params> = Simplify<
  { data: LikeFor<Params>; errors?: Problem[] } & ([GuaranteedLikeIncludes<Params>] extends [never]
    ? { includes?: LikeIncludesFor<Params> }
    : { includes: LikeIncludesFor<Params> })
>;
