import { z } from 'zod';
import { Includes } from './includes.js';
import { IdString, OptionalId, openEnum, wireObject } from './primitives.js';
import { Problem } from './problems.js';
import { User } from './user.js';

/** The event types an Activity subscription can ask for (OpenAPI 2.159 `ActivitySubscriptionCreateRequest`). */
export const ACTIVITY_EVENT_TYPES = [
  'profile.update.bio',
  'profile.update.profile_picture',
  'profile.update.banner_picture',
  'profile.update.screenname',
  'profile.update.geo',
  'profile.update.url',
  'profile.update.verified_badge',
  'profile.update.affiliate_badge',
  'profile.update.handle',
  'news.new',
  'follow.follow',
  'follow.unfollow',
  'spaces.start',
  'spaces.end',
  'chat.received',
  'chat.sent',
] as const;
/** An Activity event type; X may add more. */
export type ActivityEventType = (typeof ACTIVITY_EVENT_TYPES)[number];

/** What an Activity subscription watches: an account (`user_id`) and/or a `keyword` (1–150 characters). */
export const ActivitySubscriptionFilter = wireObject({
  user_id: OptionalId,
  keyword: z.string().optional(),
});
export type ActivitySubscriptionFilter = z.infer<typeof ActivitySubscriptionFilter>;

/** `profile.update.*`: the value before and after. */
export const ProfileUpdatePayload = wireObject({
  before: z.string().optional(),
  after: z.string().optional(),
});
/** `news.new`: a news story. */
export const NewsPayload = wireObject({
  category: z.string().optional(),
  headline: z.string().optional(),
  hook: z.string().optional(),
  summary: z.string().optional(),
});
/** `follow.follow`, `follow.unfollow`: who followed whom. */
export const FollowPayload = wireObject({
  source: User.optional(),
  target: User.optional(),
});

/**
 * One Activity event (`/2/activity/stream`): its type, a unique
 * `event_uuid`, the subscription `filter` and `tag` that selected it, and a
 * payload whose shape depends on `event_type` (profile updates, news,
 * follows; kept as sent for types X added since).
 */
export const ActivityEvent = wireObject({
  event_type: openEnum(ACTIVITY_EVENT_TYPES),
  event_uuid: IdString,
  filter: ActivitySubscriptionFilter.optional(),
  tag: z.string().optional(),
  payload: z.union([ProfileUpdatePayload, NewsPayload, FollowPayload]).optional(),
});
export type ActivityEvent = z.infer<typeof ActivityEvent>;

/** One message of `/2/activity/stream`: an event (`data`) with optional `includes`, or `errors`. */
export const ActivityStreamResponse = wireObject({
  data: ActivityEvent.optional(),
  includes: Includes.optional(),
  errors: z.array(Problem).optional(),
});
export type ActivityStreamResponse = z.infer<typeof ActivityStreamResponse>;
