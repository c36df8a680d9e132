/**
 * Which requested fields X sends on every object, and so become non-optional
 * in the request-narrowed types. A field that only applies to some objects
 * (`geo`, `entities`, `attachments`, `in_reply_to_user_id`, `withheld`, a
 * user's `location`, a photo's `url`, …) stays optional even when requested.
 * Checked against every recording in the test fixtures (see decisions/0003).
 */

/** Fields every post has without asking. */
export type DefaultTweetField = 'id' | 'text' | 'edit_history_tweet_ids';

/** `tweet.fields` present on every post once requested. */
export type GuaranteedTweetField =
  | DefaultTweetField
  | 'author_id'
  | 'conversation_id'
  | 'created_at'
  | 'edit_controls'
  | 'lang'
  | 'possibly_sensitive'
  | 'public_metrics'
  | 'reply_settings';

/** Fields every user has without asking. */
export type DefaultUserField = 'id' | 'name' | 'username';

/** `user.fields` present on every user once requested (`description` is `""` when unset). */
export type GuaranteedUserField =
  | DefaultUserField
  | 'created_at'
  | 'description'
  | 'profile_image_url'
  | 'protected'
  | 'public_metrics'
  | 'verified';

/** Fields every media item has without asking. */
export type DefaultMediaField = 'media_key' | 'type';

/** `media.fields` present on every photo, video and GIF once requested. */
export type GuaranteedMediaField = DefaultMediaField | 'height' | 'width';

/** Fields every place has without asking. */
export type DefaultPlaceField = 'id' | 'full_name';

/** `place.fields` present on every place once requested (`contained_within` is not). */
export type GuaranteedPlaceField =
  | DefaultPlaceField
  | 'country'
  | 'country_code'
  | 'geo'
  | 'name'
  | 'place_type';

/** Fields every poll has without asking. */
export type DefaultPollField = 'id' | 'options';

/** `poll.fields` present on every poll once requested. */
export type GuaranteedPollField =
  | DefaultPollField
  | 'duration_minutes'
  | 'end_datetime'
  | 'voting_status';
