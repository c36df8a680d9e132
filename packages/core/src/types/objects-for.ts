import type { Includes } from '../schemas/includes.js';
import type { Media } from '../schemas/media.js';
import type { Place } from '../schemas/place.js';
import type { Poll } from '../schemas/poll.js';
import type { Tweet } from '../schemas/tweet.js';
import type { User } from '../schemas/user.js';
import type {
  DefaultMediaField,
  DefaultPlaceField,
  DefaultPollField,
  DefaultTweetField,
  DefaultUserField,
  GuaranteedMediaField,
  GuaranteedPlaceField,
  GuaranteedPollField,
  GuaranteedTweetField,
  GuaranteedUserField,
} from './guaranteed-fields.js';
import type { Requested, Simplify, WithRequired } from './requested.js';

/** Expansions that put a field on the post itself: `author_id` is always there. */
type FieldsFromExpansions<Params> = Requested<Params, 'expansions'> & 'author_id';

/**
 * A post as returned for `Params`: `id`, `text`, `edit_history_tweet_ids`
 * always; requested `tweet.fields` that every post has (`created_at`,
 * `author_id`, `lang`, `public_metrics`, …) become non-optional, and so does
 * `author_id` when the `author_id` expansion is requested. Everything else
 * stays optional.
 *
 * @example
 * type T = TweetFor<{ 'tweet.fields': ['created_at'] }>; // T['created_at'] is string
 */
export type TweetFor<Params> = WithRequired<
  Tweet,
  | DefaultTweetField
  | (Requested<Params, 'tweet.fields'> & GuaranteedTweetField)
  | FieldsFromExpansions<Params>
>;

/** A post in `includes.tweets`: narrowed by `tweet.fields` only. */
export type IncludedTweetFor<Params> = WithRequired<
  Tweet,
  DefaultTweetField | (Requested<Params, 'tweet.fields'> & GuaranteedTweetField)
>;

/** A user as returned for `Params` (narrowed by `user.fields`; `id`, `name`, `username` always). */
export type UserFor<Params> = WithRequired<
  User,
  DefaultUserField | (Requested<Params, 'user.fields'> & GuaranteedUserField)
>;

/** A media item as returned for `Params` (narrowed by `media.fields`; `media_key`, `type` always). */
export type MediaFor<Params> = WithRequired<
  Media,
  DefaultMediaField | (Requested<Params, 'media.fields'> & GuaranteedMediaField)
>;

/** A place as returned for `Params` (narrowed by `place.fields`; `id`, `full_name` always). */
export type PlaceFor<Params> = WithRequired<
  Place,
  DefaultPlaceField | (Requested<Params, 'place.fields'> & GuaranteedPlaceField)
>;

/** A poll as returned for `Params` (narrowed by `poll.fields`; `id`, `options` always). */
export type PollFor<Params> = WithRequired<
  Poll,
  DefaultPollField | (Requested<Params, 'poll.fields'> & GuaranteedPollField)
>;

/**
 * Expansions that guarantee `includes` and a collection in it. Only
 * `author_id` does (`includes.users`: every post has an author). The others
 * depend on the post: `attachments.media_keys` → `media` (if it has media),
 * `attachments.poll_ids` → `polls`, `geo.place_id` → `places`,
 * `referenced_tweets.id` / `attachments.media_source_tweet` /
 * `edit_history_tweet_ids` → `tweets`, `in_reply_to_user_id` /
 * `entities.mentions.username` / `referenced_tweets.id.author_id` → `users`.
 */
type GuaranteedIncludes<Params> =
  'author_id' extends Requested<Params, 'expansions'> ? 'users' : never;

/**
 * `includes` as returned for `Params`: each collection holds objects narrowed
 * by its `*.fields`; `users` is present when `author_id` is expanded, the
 * other collections stay optional.
 */
export type IncludesFor<Params> = WithRequired<
  Simplify<
    Omit<Includes, 'tweets' | 'posts' | 'users' | 'media' | 'places' | 'polls'> & {
      tweets?: IncludedTweetFor<Params>[];
      posts?: IncludedTweetFor<Params>[];
      users?: UserFor<Params>[];
      media?: MediaFor<Params>[];
      places?: PlaceFor<Params>[];
      polls?: PollFor<Params>[];
    }
  >,
  GuaranteedIncludes<Params>
>;

/** `{ includes: … }` when some collection is guaranteed, else `{ includes?: … }`. */
export type IncludesPart<Params> = [GuaranteedIncludes<Params>] extends [never]
  ? { includes?: IncludesFor<Params> }
  : { includes: IncludesFor<Params> };
