import { z } from 'zod';
import { TweetEntities, UrlEntity } from './entities.js';
import { Count, IdString, OptionalId, openEnum, wireObject } from './primitives.js';

/** Follower, following, post and list counts. */
export const UserPublicMetrics = wireObject({
  followers_count: Count,
  following_count: Count,
  tweet_count: Count,
  listed_count: Count,
  like_count: Count.optional(),
  media_count: Count.optional(),
});
export type UserPublicMetrics = z.infer<typeof UserPublicMetrics>;

/** Entities of the profile: the `url` field and the `description`. */
export const UserEntities = wireObject({
  url: wireObject({ urls: z.array(UrlEntity).optional() }).optional(),
  description: TweetEntities.optional(),
});
export type UserEntities = z.infer<typeof UserEntities>;

/** Countries where an account is withheld. */
export const UserWithheld = wireObject({
  country_codes: z.array(z.string()),
  scope: openEnum(['user']).optional(),
});
export type UserWithheld = z.infer<typeof UserWithheld>;

/** The organisation an account is affiliated with. */
export const UserAffiliation = wireObject({
  badge_url: z.string().optional(),
  description: z.string().optional(),
  url: z.string().optional(),
  user_id: z.array(IdString).optional(),
});
export type UserAffiliation = z.infer<typeof UserAffiliation>;

/**
 * An account (`includes.users`). X always sends `id`, `name` (may be empty)
 * and `username`; other fields when requested with `user.fields` and set.
 * Requestable fields X has published no schema for are `unknown`.
 */
export const User = wireObject({
  id: IdString,
  name: z.string(),
  username: z.string(),
  affiliation: UserAffiliation.optional(),
  confirmed_email: z.unknown().optional(),
  connection_status: z
    .array(
      openEnum([
        'follow_request_received',
        'follow_request_sent',
        'blocking',
        'followed_by',
        'following',
        'muting',
      ]),
    )
    .optional(),
  /** ISO 8601. */
  created_at: z.string().optional(),
  description: z.string().optional(),
  entities: UserEntities.optional(),
  is_identity_verified: z.unknown().optional(),
  location: z.string().optional(),
  most_recent_tweet_id: OptionalId,
  parody: z.unknown().optional(),
  pinned_tweet_id: OptionalId,
  profile_banner_url: z.string().optional(),
  profile_image_url: z.string().optional(),
  protected: z.boolean().optional(),
  public_metrics: UserPublicMetrics.optional(),
  receives_your_dm: z.boolean().optional(),
  subscription: z.unknown().optional(),
  subscription_type: openEnum(['Basic', 'Premium', 'PremiumPlus', 'None']).optional(),
  /** The profile's link; X sends `""` when there is none. */
  url: z.string().optional(),
  verified: z.boolean().optional(),
  verified_followers_count: z.unknown().optional(),
  verified_type: openEnum(['blue', 'government', 'business', 'none']).optional(),
  withheld: UserWithheld.optional(),
  /** OpenAPI 2.167 name of `pinned_tweet_id`. */
  pinned_post_id: OptionalId,
  /** OpenAPI 2.167 name of `most_recent_tweet_id`. */
  most_recent_post_id: OptionalId,
});
export type User = z.infer<typeof User>;
