import { prngFor, STREAM } from '../prng.js';
import type { Timeline } from '../timeline.js';
import { USER_POOL_SIZE } from '../users.js';
import { earlierPostIndex, type Feed, type FeedContext, isoTime } from './feed.js';

/** The tweet compliance event kinds (OpenAPI 2.159 `TweetComplianceData`), sent in turn. */
export const TWEET_COMPLIANCE_EVENT_KINDS = [
  'delete',
  'withheld',
  'drop',
  'undrop',
  'tweet_edit',
] as const;

/** The user compliance event kinds (OpenAPI 2.159 `UserComplianceData`), sent in turn. */
export const USER_COMPLIANCE_EVENT_KINDS = [
  'user_protect',
  'user_unprotect',
  'user_delete',
  'user_undelete',
  'user_suspend',
  'user_unsuspend',
  'user_withheld',
  'scrub_geo',
  'user_profile_modification',
] as const;

const COUNTRIES = ['DE', 'FR', 'IN', 'TR', 'RU', 'BR', 'GB'] as const;
const PROFILE_FIELDS = ['name', 'description', 'location', 'url', 'profile_image_url'] as const;

/** Event `n`'s random draws: each family its own sequence. */
function rngOf(ctx: FeedContext, family: number, n: number) {
  return prngFor(ctx.seed, STREAM.item, family * 0x100_0000 + n);
}

/** `/2/tweets/compliance/stream`: every kind in turn, about recent posts. */
export function tweetComplianceFeed(ctx: FeedContext, timeline: Timeline): Feed {
  return {
    timeline,
    message(n) {
      const rng = rngOf(ctx, 2, n);
      const time = timeline.timeOf(n);
      const post = ctx.posts.get(earlierPostIndex(ctx, time, rng.int(0, 500))).world.tweet;
      const event_at = isoTime(time);
      const tweet = { id: post.id, author_id: post.author_id };
      const kind =
        TWEET_COMPLIANCE_EVENT_KINDS[n % TWEET_COMPLIANCE_EVENT_KINDS.length] ?? 'delete';
      switch (kind) {
        case 'withheld':
          return {
            data: {
              withheld: {
                tweet,
                withheld_in_countries: [rng.pick(COUNTRIES)],
                event_at,
              },
            },
          };
        case 'tweet_edit':
          return {
            data: {
              tweet_edit: {
                tweet: { id: post.id },
                initial_tweet_id: post.edit_history_tweet_ids[0] ?? post.id,
                edit_tweet_ids: post.edit_history_tweet_ids,
                event_at,
              },
            },
          };
        default:
          return { data: { [kind]: { tweet, event_at } } };
      }
    },
  };
}

/** `/2/users/compliance/stream`: every kind in turn, about the platform's accounts. */
export function userComplianceFeed(ctx: FeedContext, timeline: Timeline): Feed {
  return {
    timeline,
    message(n) {
      const rng = rngOf(ctx, 3, n);
      const time = timeline.timeOf(n);
      const user = ctx.users.get(rng.int(0, USER_POOL_SIZE - 1));
      const event_at = isoTime(time);
      const kind =
        USER_COMPLIANCE_EVENT_KINDS[n % USER_COMPLIANCE_EVENT_KINDS.length] ?? 'user_delete';
      const body: Record<string, unknown> = { user: { id: user.id }, event_at };
      if (kind === 'user_withheld') body.withheld_in_countries = [rng.pick(COUNTRIES)];
      if (kind === 'scrub_geo')
        body.up_to_tweet_id = ctx.posts.get(earlierPostIndex(ctx, time, 0)).world.tweet.id;
      if (kind === 'user_profile_modification') {
        const field = rng.pick(PROFILE_FIELDS);
        body.profile_field = field;
        body.new_value = field === 'url' ? `https://t.co/${rng.base62(10)}` : `${user.name} ✨`;
      }
      return { data: { [kind]: body } };
    },
  };
}

/** `/2/likes/compliance/stream`: a like removed (`delete.favorite`). */
export function likeComplianceFeed(ctx: FeedContext, timeline: Timeline): Feed {
  return {
    timeline,
    message(n) {
      const rng = rngOf(ctx, 4, n);
      const time = timeline.timeOf(n);
      const post = ctx.posts.get(earlierPostIndex(ctx, time, rng.int(0, 500))).world.tweet;
      const user = ctx.users.get(rng.int(0, USER_POOL_SIZE - 1));
      return {
        data: { delete: { favorite: { id: post.id, user_id: user.id }, event_at: isoTime(time) } },
      };
    },
  };
}
