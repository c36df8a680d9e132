import { prngFor, STREAM } from '../prng.js';
import { renderMessage } from '../render.js';
import type { Timeline } from '../timeline.js';
import {
  earlierPostIndex,
  type Feed,
  type FeedContext,
  type FeedRequest,
  isoTime,
} from './feed.js';

const FAMILY = 1;

function pick(source: Record<string, unknown>, fields: ReadonlySet<string>) {
  return Object.fromEntries(Object.entries(source).filter(([k]) => fields.has(k)));
}

/**
 * Likes (`LikeWithTweetAuthor`): a like of a recent post, with the fields
 * asked for in `like_with_tweet_author.fields` and, per `expansions`, the
 * liked post (`liked_tweet_id` → `includes.tweets`, with `tweet.fields`) and
 * its author (`liked_tweet_author_id` → `includes.users`, with `user.fields`).
 */
export function likeFeed(ctx: FeedContext, timeline: Timeline): Feed {
  return {
    timeline,
    message(n: number, { selection }: FeedRequest) {
      const rng = prngFor(ctx.seed, STREAM.item, FAMILY * 0x100_0000 + n);
      const time = timeline.timeOf(n);
      const liked = ctx.posts.get(earlierPostIndex(ctx, time, rng.int(0, 200))).world;
      const like = {
        id: rng.hex(32),
        created_at: isoTime(time),
        liked_tweet_id: liked.tweet.id,
        tweet_author_id: liked.tweet.author_id,
        timestamp_ms: Math.floor(time),
      };
      const message: Record<string, unknown> = { data: pick(like, selection.like) };
      const includes: Record<string, unknown[]> = {};
      if (selection.expansions.has('liked_tweet_id')) {
        includes.tweets = [renderMessage(liked, { ...selection, expansions: new Set() }).data];
      }
      const author = liked.users.get(liked.tweet.author_id);
      if (selection.expansions.has('liked_tweet_author_id') && author) {
        includes.users = [pick(author as unknown as Record<string, unknown>, selection.user)];
      }
      if (Object.keys(includes).length > 0) message.includes = includes;
      return message;
    },
  };
}
