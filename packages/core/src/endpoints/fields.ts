/**
 * The allowed values of the stream endpoints' field and expansion parameters
 * (X API v2 OpenAPI 2.159, plus the three `tweet.fields` values 2.167 added),
 * and the two sets of list parameters the endpoint table's rows take.
 */

/** `tweet.fields` values: what a post carries besides `id`, `text` and `edit_history_tweet_ids`. */
export const TWEET_FIELDS = [
  'article',
  'attachments',
  'author_id',
  'card_uri',
  'community_id',
  'context_annotations',
  'conversation_id',
  'created_at',
  'display_text_range',
  'edit_controls',
  'edit_history_tweet_ids',
  'entities',
  'geo',
  'id',
  'in_reply_to_user_id',
  'lang',
  'matched_media_notes',
  'media_metadata',
  'non_public_metrics',
  'note_request_suggestions',
  'note_tweet',
  'organic_metrics',
  'paid_partnership',
  'possibly_sensitive',
  'promoted_metrics',
  'public_metrics',
  'referenced_tweets',
  'reply_settings',
  'scopes',
  'source',
  'suggested_source_links',
  'suggested_source_links_with_counts',
  'text',
  'withheld',
] as const;
/** One `tweet.fields` value. */
export type TweetField = (typeof TWEET_FIELDS)[number];

/** `expansions` of the post streams: which related objects X puts in `includes`. */
export const EXPANSIONS = [
  'article.cover_media',
  'article.media_entities',
  'attachments.media_keys',
  'attachments.media_source_tweet',
  'attachments.poll_ids',
  'author_id',
  'edit_history_tweet_ids',
  'entities.mentions.username',
  'geo.place_id',
  'in_reply_to_user_id',
  'entities.note.mentions.username',
  'referenced_tweets.id',
  'referenced_tweets.id.attachments.media_keys',
  'referenced_tweets.id.author_id',
] as const;
/** One `expansions` value of the post streams. */
export type Expansion = (typeof EXPANSIONS)[number];

/** `media.fields` values (with the `attachments.media_keys` expansion). */
export const MEDIA_FIELDS = [
  'alt_text',
  'duration_ms',
  'height',
  'media_key',
  'non_public_metrics',
  'organic_metrics',
  'preview_image_url',
  'promoted_metrics',
  'public_metrics',
  'type',
  'url',
  'variants',
  'width',
] as const;
/** One `media.fields` value. */
export type MediaField = (typeof MEDIA_FIELDS)[number];

/** `poll.fields` values (with the `attachments.poll_ids` expansion). */
export const POLL_FIELDS = [
  'duration_minutes',
  'end_datetime',
  'id',
  'options',
  'voting_status',
] as const;
/** One `poll.fields` value. */
export type PollField = (typeof POLL_FIELDS)[number];

/** `user.fields` values (with the `author_id` and other user expansions). */
export const USER_FIELDS = [
  'affiliation',
  'confirmed_email',
  'connection_status',
  'created_at',
  'description',
  'entities',
  'id',
  'is_identity_verified',
  'location',
  'most_recent_tweet_id',
  'name',
  'parody',
  'pinned_tweet_id',
  'profile_banner_url',
  'profile_image_url',
  'protected',
  'public_metrics',
  'receives_your_dm',
  'subscription',
  'subscription_type',
  'url',
  'username',
  'verified',
  'verified_followers_count',
  'verified_type',
  'withheld',
] as const;
/** One `user.fields` value. */
export type UserField = (typeof USER_FIELDS)[number];

/** `place.fields` values (with the `geo.place_id` expansion). */
export const PLACE_FIELDS = [
  'contained_within',
  'country',
  'country_code',
  'full_name',
  'geo',
  'id',
  'name',
  'place_type',
] as const;
/** One `place.fields` value. */
export type PlaceField = (typeof PLACE_FIELDS)[number];

/** `like_with_tweet_author.fields` of the likes streams (OpenAPI 2.159). */
export const LIKE_WITH_TWEET_AUTHOR_FIELDS = [
  'created_at',
  'id',
  'liked_tweet_author_id',
  'liked_tweet_id',
  'timestamp_ms',
] as const;
/** One `like_with_tweet_author.fields` value. */
export type LikeWithTweetAuthorField = (typeof LIKE_WITH_TWEET_AUTHOR_FIELDS)[number];

/** `expansions` of the likes streams: the liked post and its author. */
export const LIKE_EXPANSIONS = ['liked_tweet_author_id', 'liked_tweet_id'] as const;
/** One `expansions` value of the likes streams. */
export type LikeExpansion = (typeof LIKE_EXPANSIONS)[number];

/**
 * The list parameters of the post streams and the values X accepts in each
 * (a row's `fields`): the request-narrowed types, the CLI's field flags and
 * the emulator's checks read them from the row.
 */
export const POST_FIELDS = {
  /** Related objects to put in `includes` (`author_id` → `includes.users`, …). */
  expansions: EXPANSIONS,
  /** Post fields beyond `id`, `text` and `edit_history_tweet_ids`. */
  'tweet.fields': TWEET_FIELDS,
  /** Fields of the users in `includes.users`. */
  'user.fields': USER_FIELDS,
  /** Fields of the media in `includes.media`. */
  'media.fields': MEDIA_FIELDS,
  /** Fields of the places in `includes.places`. */
  'place.fields': PLACE_FIELDS,
  /** Fields of the polls in `includes.polls`. */
  'poll.fields': POLL_FIELDS,
} as const;

/** The list parameters of the likes streams and the values X accepts in each (a row's `fields`). */
export const LIKE_FIELDS = {
  /** Fields of the like itself beyond `id`. */
  'like_with_tweet_author.fields': LIKE_WITH_TWEET_AUTHOR_FIELDS,
  /** `liked_tweet_id` puts the liked posts in `includes.tweets`, `liked_tweet_author_id` their authors in `includes.users`. */
  expansions: LIKE_EXPANSIONS,
  /** Fields of the liked posts in `includes.tweets`. */
  'tweet.fields': TWEET_FIELDS,
  /** Fields of the users in `includes.users`. */
  'user.fields': USER_FIELDS,
} as const;
