import { z } from 'zod';
import { TweetEntities, UrlEntity } from './entities.js';
import { GeoPoint } from './geo.js';
import { Count, IdString, OptionalId, openEnum, wireObject } from './primitives.js';

/** Media and polls attached to a post (keys into `includes.media` / `includes.polls`). */
export const TweetAttachments = wireObject({
  /** Keys such as `3_1377650087799754753`. */
  media_keys: z.array(z.string()).optional(),
  /** Posts the attached media was first posted in. */
  media_source_tweet_id: z.array(IdString).optional(),
  poll_ids: z.array(IdString).optional(),
});
export type TweetAttachments = z.infer<typeof TweetAttachments>;

/** A post this post retweets, quotes or replies to. */
export const ReferencedTweet = wireObject({
  type: openEnum(['retweeted', 'quoted', 'replied_to']),
  id: IdString,
});
export type ReferencedTweet = z.infer<typeof ReferencedTweet>;

/** One context annotation: a domain (topic family) and an entity within it. */
export const ContextAnnotation = wireObject({
  domain: wireObject({
    id: IdString,
    name: z.string().optional(),
    description: z.string().optional(),
  }),
  entity: wireObject({
    id: IdString,
    name: z.string().optional(),
    description: z.string().optional(),
  }),
});
export type ContextAnnotation = z.infer<typeof ContextAnnotation>;

/** Whether and until when a post can be edited. */
export const EditControls = wireObject({
  /**
   * Edits left. The schema says integer; a 2022 recording has the string
   * `"4"`: both are accepted and a number comes out.
   */
  edits_remaining: z.union([
    z.number(),
    z
      .string()
      .regex(/^[0-9]+$/)
      .transform(Number),
  ]),
  is_edit_eligible: z.boolean(),
  editable_until: z.string(),
});
export type EditControls = z.infer<typeof EditControls>;

/** The location tagged on a post. */
export const TweetGeo = wireObject({
  /** Key into `includes.places` (hexadecimal, not digits). */
  place_id: z.string().optional(),
  coordinates: GeoPoint.optional(),
});
export type TweetGeo = z.infer<typeof TweetGeo>;

/** Public engagement counts. */
export const TweetPublicMetrics = wireObject({
  retweet_count: Count,
  reply_count: Count,
  like_count: Count,
  quote_count: Count,
  bookmark_count: Count.optional(),
  impression_count: Count.optional(),
});
export type TweetPublicMetrics = z.infer<typeof TweetPublicMetrics>;

/** Private counts (user context only). */
export const TweetNonPublicMetrics = wireObject({
  impression_count: Count.optional(),
  url_link_clicks: Count.optional(),
  user_profile_clicks: Count.optional(),
});
export type TweetNonPublicMetrics = z.infer<typeof TweetNonPublicMetrics>;

/** Organic or promoted counts (user context only). */
export const TweetEngagementMetrics = wireObject({
  impression_count: Count.optional(),
  like_count: Count.optional(),
  reply_count: Count.optional(),
  retweet_count: Count.optional(),
  url_link_clicks: Count.optional(),
  user_profile_clicks: Count.optional(),
});
export type TweetEngagementMetrics = z.infer<typeof TweetEngagementMetrics>;

/** The full text of a long post (`text` holds the first 280 characters). */
export const NoteTweet = wireObject({
  text: z.string(),
  entities: TweetEntities.optional(),
});
export type NoteTweet = z.infer<typeof NoteTweet>;

/** Countries where a post is withheld. */
export const TweetWithheld = wireObject({
  copyright: z.boolean(),
  /** Two-letter country codes. */
  country_codes: z.array(z.string()),
  scope: openEnum(['tweet', 'user']).optional(),
});
export type TweetWithheld = z.infer<typeof TweetWithheld>;

/** Who can see a post without its id. */
export const TweetScopes = wireObject({ followers: z.boolean().optional() });
export type TweetScopes = z.infer<typeof TweetScopes>;

/**
 * A post (`data`, `includes.tweets`). X always sends `id` and `text`; every
 * other field appears when requested (`tweet.fields`, `expansions`) and
 * applicable. Requestable fields X has published no schema for are `unknown`.
 * The newest OpenAPI's "post" names (`edit_history_post_ids`,
 * `referenced_posts`, `note_post`) are accepted too; the wire still uses the
 * tweet names.
 */
export const Tweet = wireObject({
  id: IdString,
  text: z.string(),
  /** Every version of the post, oldest first; the last is the newest. Always sent since 2022. */
  edit_history_tweet_ids: z.array(IdString).optional(),
  article: z.unknown().optional(),
  attachments: TweetAttachments.optional(),
  author_id: OptionalId,
  card_uri: z.string().optional(),
  community_id: OptionalId,
  context_annotations: z.array(ContextAnnotation).optional(),
  conversation_id: OptionalId,
  /** ISO 8601, e.g. `2021-04-01T15:52:31.000Z`. */
  created_at: z.string().optional(),
  display_text_range: z.tuple([Count, Count]).optional(),
  edit_controls: EditControls.optional(),
  entities: TweetEntities.optional(),
  geo: TweetGeo.optional(),
  in_reply_to_user_id: OptionalId,
  /** BCP 47 tag, or X's own codes such as `und` and `qst`. */
  lang: z.string().optional(),
  matched_media_notes: z.unknown().optional(),
  media_metadata: z.unknown().optional(),
  non_public_metrics: TweetNonPublicMetrics.optional(),
  note_request_suggestions: z.unknown().optional(),
  note_tweet: NoteTweet.optional(),
  organic_metrics: TweetEngagementMetrics.optional(),
  paid_partnership: z.unknown().optional(),
  possibly_sensitive: z.boolean().optional(),
  promoted_metrics: TweetEngagementMetrics.optional(),
  public_metrics: TweetPublicMetrics.optional(),
  referenced_tweets: z.array(ReferencedTweet).optional(),
  reply_settings: openEnum([
    'everyone',
    'mentionedUsers',
    'following',
    'other',
    'subscribers',
    'verified',
  ]).optional(),
  scopes: TweetScopes.optional(),
  /** Deprecated by X: the client used to post. */
  source: z.string().optional(),
  suggested_source_links: z.array(UrlEntity).optional(),
  suggested_source_links_with_counts: z.unknown().optional(),
  username: z.string().optional(),
  withheld: TweetWithheld.optional(),
  /** OpenAPI 2.167 name of `edit_history_tweet_ids`. */
  edit_history_post_ids: z.array(IdString).optional(),
  /** OpenAPI 2.167 name of `referenced_tweets`. */
  referenced_posts: z.array(ReferencedTweet).optional(),
  /** OpenAPI 2.167 name of `note_tweet`. */
  note_post: NoteTweet.optional(),
});
export type Tweet = z.infer<typeof Tweet>;
