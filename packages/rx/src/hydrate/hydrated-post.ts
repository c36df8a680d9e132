/**
 * Types of a post joined with its `includes`. They are derived from the
 * response type, so a pipeline typed by its request parameters keeps the
 * exact fields it asked for (an expansion that was not requested gives
 * `never`, so its property is always `undefined` or empty).
 */

/** The least a response must have to be hydrated: a post with an id. */
export interface ResponseWithPost {
  data: { id: string };
}

type IncludesOf<R> = R extends { includes?: infer I } ? NonNullable<I> : never;
type ItemOf<L> = L extends readonly (infer X)[] ? X : never;
type IncludedOf<R, K extends string> =
  IncludesOf<R> extends infer I
    ? I extends { [P in K]?: infer L }
      ? ItemOf<NonNullable<L>>
      : never
    : never;

/** The post type of a response (`data`). */
export type PostOf<R> = R extends { data: infer D } ? D : never;
/** Users of `includes.users`. */
export type IncludedUserOf<R> = IncludedOf<R, 'users'>;
/** Posts of `includes.tweets` (referenced posts). */
export type IncludedTweetOf<R> = IncludedOf<R, 'tweets'>;
/** Media of `includes.media`. */
export type IncludedMediaOf<R> = IncludedOf<R, 'media'>;
/** Polls of `includes.polls`. */
export type IncludedPollOf<R> = IncludedOf<R, 'polls'>;
/** Places of `includes.places`. */
export type IncludedPlaceOf<R> = IncludedOf<R, 'places'>;
/** Items of `matching_rules` (empty for sample streams). */
export type MatchingRuleOf<R> = R extends { matching_rules?: infer L }
  ? ItemOf<NonNullable<L>>
  : never;
/** Items of `errors` (partial errors next to the post). */
export type PartialErrorOf<R> = R extends { errors?: infer L } ? ItemOf<NonNullable<L>> : never;

type ReferenceTypeOf<P> = P extends { referenced_tweets?: infer L }
  ? ItemOf<NonNullable<L>> extends { type: infer T }
    ? T
    : string
  : string;

/** What `resolveIncludes` joins to a post (and to each referenced post). */
export interface HydratedPostBase<R, P> {
  /** The post exactly as X sent it. */
  post: P;
  /** The author (`author_id` → `includes.users`; needs the `author_id` expansion). */
  author: IncludedUserOf<R> | undefined;
  /** The user replied to (`in_reply_to_user_id`; needs the `in_reply_to_user_id` expansion). */
  inReplyToUser: IncludedUserOf<R> | undefined;
  /**
   * Users mentioned in the text or the long-form note, each once, in order of
   * first mention, matched by id or else by username (X omits mention ids
   * in some payloads). Needs `entities.mentions.username`.
   */
  mentions: IncludedUserOf<R>[];
  /** Attached media in attachment order (`attachments.media_keys`). */
  media: IncludedMediaOf<R>[];
  /** Attached polls (`attachments.poll_ids`). */
  polls: IncludedPollOf<R>[];
  /** The tagged place (`geo.place_id`; needs the `geo.place_id` expansion). */
  place: IncludedPlaceOf<R> | undefined;
  /**
   * The posts this one retweets, quotes or replies to, themselves hydrated
   * from the same `includes` when X included them (`referenced_tweets.id`),
   * else with `post: undefined` (deleted, protected or not expanded).
   */
  referencedTweets: ReferencedPost<R, P>[];
}

/** One entry of `referenced_tweets`, with the referenced post when it was included. */
export interface ReferencedPost<R, P = PostOf<R>> {
  type: ReferenceTypeOf<P>;
  id: string;
  post: HydratedPostBase<R, IncludedTweetOf<R>> | undefined;
}

/** A post from the stream joined with everything its response included. */
export interface HydratedPost<R extends ResponseWithPost = ResponseWithPost>
  extends HydratedPostBase<R, PostOf<R>> {
  /** The rules this post matched (filtered stream); `[]` on sample streams. */
  matchingRules: MatchingRuleOf<R>[];
  /** Partial errors sent with the post (for example a referenced post that is not available). */
  errors: PartialErrorOf<R>[];
}
