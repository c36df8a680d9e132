import { z } from 'zod';
import { LikeId } from './likes.js';
import { IdString, OptionalId, wireObject } from './primitives.js';
import { Problem } from './problems.js';

/** A two-letter ISO 3166-1 country code (upper-case), or another string X uses (`XX`, `XY`). */
const CountryCode = z.string();

/** The post of a tweet compliance event. */
const CompliancePost = wireObject({ id: IdString, author_id: OptionalId });
/** The account of a user compliance event. */
const ComplianceUser = wireObject({ id: IdString });

/** `delete`, `drop`, `undrop`: a post, when, and the post it quoted if any (`TweetComplianceSchema`). */
export const TweetComplianceEventBody = wireObject({
  tweet: CompliancePost,
  event_at: z.string(),
  quote_tweet_id: OptionalId,
});
export type TweetComplianceEventBody = z.infer<typeof TweetComplianceEventBody>;

/** `withheld`: a post withheld in some countries (`TweetTakedownComplianceSchema`). */
export const TweetWithheldEventBody = wireObject({
  tweet: CompliancePost,
  event_at: z.string(),
  quote_tweet_id: OptionalId,
  withheld_in_countries: z.array(CountryCode),
});
export type TweetWithheldEventBody = z.infer<typeof TweetWithheldEventBody>;

/** `tweet_edit`: a post was edited; its edit chain (`TweetEditComplianceObjectSchema`). */
export const TweetEditEventBody = wireObject({
  tweet: wireObject({ id: IdString }),
  event_at: z.string(),
  initial_tweet_id: IdString,
  edit_tweet_ids: z.array(IdString),
});
export type TweetEditEventBody = z.infer<typeof TweetEditEventBody>;

/** Most user events: an account and when (`UserComplianceSchema`). */
export const UserComplianceEventBody = wireObject({
  user: ComplianceUser,
  event_at: z.string(),
});
export type UserComplianceEventBody = z.infer<typeof UserComplianceEventBody>;

/** `user_withheld`: an account withheld in some countries (`UserTakedownComplianceSchema`). */
export const UserWithheldEventBody = wireObject({
  user: ComplianceUser,
  event_at: z.string(),
  withheld_in_countries: z.array(CountryCode),
});
export type UserWithheldEventBody = z.infer<typeof UserWithheldEventBody>;

/** `scrub_geo`: remove location data from the account's posts up to a post (`UserScrubGeoObjectSchema`). */
export const ScrubGeoEventBody = wireObject({
  user: ComplianceUser,
  event_at: z.string(),
  up_to_tweet_id: IdString,
});
export type ScrubGeoEventBody = z.infer<typeof ScrubGeoEventBody>;

/** `user_profile_modification`: a profile field changed (`UserProfileModificationObjectSchema`). */
export const UserProfileModificationEventBody = wireObject({
  user: ComplianceUser,
  event_at: z.string(),
  profile_field: z.string(),
  new_value: z.string(),
});
export type UserProfileModificationEventBody = z.infer<typeof UserProfileModificationEventBody>;

/** A like was removed (`UnlikeComplianceSchema`): `favorite.id` is the liked post, `user_id` who liked it. */
export const FavoriteDeleteEventBody = wireObject({
  favorite: wireObject({ id: IdString, user_id: IdString }),
  event_at: z.string(),
});
export type FavoriteDeleteEventBody = z.infer<typeof FavoriteDeleteEventBody>;

/**
 * A like was removed, in the shape X's own emulator sends (`delete.like`
 * instead of the spec's `delete.favorite`): the like's own `id`, the liked
 * post and its author. Declared beside {@link FavoriteDeleteEventBody}: the
 * same unlike, `complianceEvent()` names both `favorite_delete`.
 */
export const LikeDeleteEventBody = wireObject({
  like: wireObject({
    id: LikeId,
    liked_tweet_id: IdString,
    liked_tweet_author_id: OptionalId,
  }),
  event_at: z.string(),
});
export type LikeDeleteEventBody = z.infer<typeof LikeDeleteEventBody>;

/** The body schema of each compliance event kind: the key X wraps the event in. */
export const TWEET_COMPLIANCE_KINDS = {
  delete: TweetComplianceEventBody,
  withheld: TweetWithheldEventBody,
  drop: TweetComplianceEventBody,
  undrop: TweetComplianceEventBody,
  tweet_edit: TweetEditEventBody,
} as const;
/** The user compliance events by kind (`user_protect` … `user_profile_modification`), each with its body schema. */
export const USER_COMPLIANCE_KINDS = {
  user_protect: UserComplianceEventBody,
  user_unprotect: UserComplianceEventBody,
  user_delete: UserComplianceEventBody,
  user_undelete: UserComplianceEventBody,
  user_suspend: UserComplianceEventBody,
  user_unsuspend: UserComplianceEventBody,
  user_withheld: UserWithheldEventBody,
  scrub_geo: ScrubGeoEventBody,
  user_profile_modification: UserProfileModificationEventBody,
} as const;

type Kinds = Record<string, z.ZodType>;
/** `{ [kind]: body }` for each kind, as a union of one-key objects. */
type Wrapped<K extends Kinds> = { [Kind in keyof K]: { [P in Kind]: z.infer<K[Kind]> } }[keyof K];

/** A union of `wireObject({ [kind]: body })`, one per kind, in table order. */
function wrappedUnion<K extends Kinds>(kinds: K): z.ZodType<Wrapped<K>> {
  const options = Object.entries(kinds).map(([kind, body]) => wireObject({ [kind]: body }));
  return z.union(options as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]) as z.ZodType<
    Wrapped<K>
  >;
}

/** `data` of the tweet compliance stream: exactly one of `delete`, `withheld`, `drop`, `undrop`, `tweet_edit`. */
export const TweetComplianceData = wrappedUnion(TWEET_COMPLIANCE_KINDS);
export type TweetComplianceData = z.infer<typeof TweetComplianceData>;

/** `data` of the user compliance stream: exactly one of `user_protect` … `user_profile_modification`. */
export const UserComplianceData = wrappedUnion(USER_COMPLIANCE_KINDS);
export type UserComplianceData = z.infer<typeof UserComplianceData>;

/**
 * `data` of the likes compliance stream: an unlike, `{ delete: { favorite, event_at } }`
 * as the spec says, or `{ delete: { like, event_at } }` as X's own emulator sends it.
 */
export const LikeComplianceData = wireObject({
  delete: z.union([FavoriteDeleteEventBody, LikeDeleteEventBody]),
});
export type LikeComplianceData = z.infer<typeof LikeComplianceData>;

/** One message of `/2/tweets/compliance/stream`: a compliance event (`data`) or `errors`. */
export const TweetComplianceStreamResponse = wireObject({
  data: TweetComplianceData.optional(),
  errors: z.array(Problem).optional(),
});
export type TweetComplianceStreamResponse = z.infer<typeof TweetComplianceStreamResponse>;

/** One message of `/2/users/compliance/stream`: a compliance event (`data`) or `errors`. */
export const UserComplianceStreamResponse = wireObject({
  data: UserComplianceData.optional(),
  errors: z.array(Problem).optional(),
});
export type UserComplianceStreamResponse = z.infer<typeof UserComplianceStreamResponse>;

/** One message of `/2/likes/compliance/stream`: an unlike (`data.delete`) or `errors`. */
export const LikeComplianceStreamResponse = wireObject({
  data: LikeComplianceData.optional(),
  errors: z.array(Problem).optional(),
});
export type LikeComplianceStreamResponse = z.infer<typeof LikeComplianceStreamResponse>;
