import type { StreamFamily } from '@birdstream/core';
import { hashKeys, STREAM } from '../prng.js';
import { Timeline } from '../timeline.js';
import { activityFeed } from './activity-feed.js';
import { likeComplianceFeed, tweetComplianceFeed, userComplianceFeed } from './compliance-feeds.js';
import type { Feed, FeedContext } from './feed.js';
import { labelFeed } from './label-feed.js';
import { likeFeed } from './like-feed.js';
import { postFeed } from './post-feed.js';

/** One feed per stream family of core's endpoint table; the compiler checks every family has one. */
const FEED_OF = {
  posts: (ctx) => postFeed(ctx.posts),
  likes: (ctx, t) => likeFeed(ctx, t),
  'tweet-compliance': (ctx, t) => tweetComplianceFeed(ctx, t),
  'user-compliance': (ctx, t) => userComplianceFeed(ctx, t),
  'like-compliance': (ctx, t) => likeComplianceFeed(ctx, t),
  labels: (ctx, t) => labelFeed(ctx, t),
  activity: (ctx, t) => activityFeed(ctx, t),
} satisfies Record<StreamFamily, (ctx: FeedContext, timeline: Timeline) => Feed>;

const FAMILY_INDEX: Record<StreamFamily, number> = {
  posts: 0,
  likes: 1,
  'tweet-compliance': 2,
  'user-compliance': 3,
  'like-compliance': 4,
  labels: 5,
  activity: 6,
};

/** The feeds of every stream family, built on first use; each family has its own timeline at `rate` items per emulated second. */
export class Feeds {
  private readonly built = new Map<StreamFamily, Feed>();

  constructor(private readonly ctx: FeedContext) {}

  of(family: StreamFamily): Feed {
    let feed = this.built.get(family);
    if (!feed) {
      const seed = hashKeys(this.ctx.seed, STREAM.family, FAMILY_INDEX[family]);
      feed = FEED_OF[family](this.ctx, new Timeline(seed, this.ctx.startTime, this.ctx.rate));
      this.built.set(family, feed);
    }
    return feed;
  }

  /** The partition (1 to `partitions`) item `n` of `family` belongs to: exactly one. */
  partitionOf(family: StreamFamily, n: number, partitions: number): number {
    return (hashKeys(this.ctx.seed, STREAM.partition, FAMILY_INDEX[family], n) % partitions) + 1;
  }
}
