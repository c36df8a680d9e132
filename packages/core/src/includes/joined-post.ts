/**
 * Types of a post joined with its `includes` (what `joinIncludes` returns).
 * They are derived from the response type, so a stream typed by its request
 * parameters keeps the exact fields it asked for; an expansion that was not
 * requested gives `never`, so its property is always `undefined` or empty.
 */

/** The least a response must have to be joined: a post with an id. */
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

/** The post of a response (`data`). */
type PostOf<R> = R extends { data: infer D } ? D : never;
/** A user of `includes.users`. */
type IncludedUserOf<R> = IncludedOf<R, 'users'>;
/** A referenced post of `includes.tweets`. */
type IncludedTweetOf<R> = IncludedOf<R, 'tweets'>;
/** An item of `includes.media`. */
type IncludedMediaOf<R> = IncludedOf<R, 'media'>;
/** A poll of `includes.polls`. */
type IncludedPollOf<R> = IncludedOf<R, 'polls'>;
/** A place of `includes.places`. */
type IncludedPlaceOf<R> = IncludedOf<R, 'places'>;
/** An item of `matching_rules` (none on the sample streams). */
type MatchingRuleOf<R> = R extends { matching_rules?: infer L } ? ItemOf<NonNullable<L>> : never;
/** An item of `errors` (partial errors next to the post). */
type PartialErrorOf<R> = R extends { errors?: infer L } ? ItemOf<NonNullable<L>> : never;

type ReferenceTypeOf<P> = P extends { referenced_tweets?: infer L }
  ? ItemOf<NonNullable<L>> extends { type: infer T }
    ? T
    : string
  : string;

/** A post `P` of the response `R` joined with the objects `R`'s `includes` hold for it. */
export interface JoinedPost<R, P = PostOf<R>> {
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
   * The posts this one retweets, quotes or replies to, themselves joined
   * from the same `includes` when X included them (`referenced_tweets.id`),
   * else with `post: undefined` (deleted, protected or not expanded).
   */
  referencedTweets: ReferencedPost<R, P>[];
}

/** One entry of a post's `referenced_tweets`, with the referenced post joined when it was included. */
export interface ReferencedPost<R, P = PostOf<R>> {
  type: ReferenceTypeOf<P>;
  id: string;
  post: JoinedPost<R, IncludedTweetOf<R>> | undefined;
}

/** A response's post joined with everything the response included, with its rules and partial errors. */
export interface JoinedResponse<R extends ResponseWithPost = ResponseWithPost>
  extends JoinedPost<R> {
  /** The rules this post matched (filtered stream); `[]` on the other streams. */
  matchingRules: MatchingRuleOf<R>[];
  /** Partial errors sent with the post (for example a referenced post that is not available). */
  errors: PartialErrorOf<R>[];
}
