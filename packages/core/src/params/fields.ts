/**
 * The allowed values of the stream endpoints' field and expansion parameters
 * (X API v2 OpenAPI 2.159, plus the three `tweet.fields` values 2.167 added).
 */

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
export type TweetField = (typeof TWEET_FIELDS)[number];

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
export type Expansion = (typeof EXPANSIONS)[number];

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
export type MediaField = (typeof MEDIA_FIELDS)[number];

export const POLL_FIELDS = [
  'duration_minutes',
  'end_datetime',
  'id',
  'options',
  'voting_status',
] as const;
export type PollField = (typeof POLL_FIELDS)[number];

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
export type UserField = (typeof USER_FIELDS)[number];

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
export type PlaceField = (typeof PLACE_FIELDS)[number];

/** `like_with_tweet_author.fields` of the likes streams (OpenAPI 2.159). */
export const LIKE_WITH_TWEET_AUTHOR_FIELDS = [
  'created_at',
  'id',
  'liked_tweet_author_id',
  'liked_tweet_id',
  'timestamp_ms',
] as const;
export type LikeWithTweetAuthorField = (typeof LIKE_WITH_TWEET_AUTHOR_FIELDS)[number];

/** `expansions` of the likes streams: the liked post and its author. */
export const LIKE_EXPANSIONS = ['liked_tweet_author_id', 'liked_tweet_id'] as const;
export type LikeExpansion = (typeof LIKE_EXPANSIONS)[number];
