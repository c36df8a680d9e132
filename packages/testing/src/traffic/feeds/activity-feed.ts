import { prngFor, STREAM } from '../prng.js';
import { snowflake } from '../snowflake.js';
import type { Timeline } from '../timeline.js';
import { USER_POOL_SIZE } from '../users.js';
import { type Feed, type FeedContext, isoTime } from './feed.js';

/** The Activity event types the emulator sends, in turn (OpenAPI 2.159 `ActivityStreamingResponsePayload`). */
export const ACTIVITY_EVENT_KINDS = [
  'profile.update.bio',
  'follow.follow',
  'news.new',
  'profile.update.screenname',
  'follow.unfollow',
  'profile.update.url',
] as const;

/** `/2/activity/stream`: events about watched accounts (`filter.user_id`), with their payloads. */
export function activityFeed(ctx: FeedContext, timeline: Timeline): Feed {
  return {
    timeline,
    message(n) {
      const rng = prngFor(ctx.seed, STREAM.item, 6 * 0x100_0000 + n);
      const time = timeline.timeOf(n);
      const user = ctx.users.get(rng.int(0, USER_POOL_SIZE - 1));
      const other = ctx.users.get(rng.int(0, USER_POOL_SIZE - 1));
      const event_type = ACTIVITY_EVENT_KINDS[n % ACTIVITY_EVENT_KINDS.length] ?? 'news.new';
      const brief = (u: typeof user) => ({ id: u.id, name: u.name, username: u.username });
      let payload: Record<string, unknown>;
      if (event_type.startsWith('follow.')) payload = { source: brief(other), target: brief(user) };
      else if (event_type === 'news.new')
        payload = {
          category: 'Technology',
          headline: `Story ${n} is developing`,
          hook: 'What people are saying',
          summary: `A summary written at ${isoTime(time)}.`,
        };
      else payload = { before: user.username, after: `${user.username}_${n % 100}` };
      return {
        data: {
          event_type,
          event_uuid: snowflake(time, 0x2aa, n & 0xfff),
          filter: { user_id: user.id },
          tag: `watch-${user.username}`,
          payload,
        },
      };
    },
  };
}
