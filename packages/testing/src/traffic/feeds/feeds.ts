import type { StreamFamily } from '@birdstream/core';
import { hashKeys, STREAM } from '../prng.js';
import { Timeline } from '../timeline.js';
import { activityFeed } from './activity-feed.js';
import { likeComplianceFeed, tweetComplianceFeed, userComplianceFeed } from './compliance-feeds.js';
import type { Feed, FeedContext } from './feed.js';
import { labelFeed } from './label-feed.js';
import { likeFeed } from './like-feed.js';
import { postFeed } from './post-feed.js';

/**
 * One feed per stream family of core's endpoint table; the compiler checks
 * every family has one (a row of a new family needs its feed here). The
 * order is part of the seeds: append a new family, never insert one.
 */
const FEED_OF: Record<StreamFamily, (ctx: FeedContext, timeline: Timeline) => Feed> = {
  posts: (ctx) => postFeed(ctx.posts),
  likes: (ctx, t) => likeFeed(ctx, t),
  'tweet-compliance': (ctx, t) => tweetComplianceFeed(ctx, t),
  'user-compliance': (ctx, t) => userComplianceFeed(ctx, t),
  'like-compliance': (ctx, t) => likeComplianceFeed(ctx, t),
  labels: (ctx, t) => labelFeed(ctx, t),
  activity: (ctx, t) => activityFeed(ctx, t),
};

/** Each family's place in {@link FEED_OF}, mixed into its seeds. */
const FAMILY_INDEX = Object.fromEntries(
  Object.keys(FEED_OF).map((family, i) => [family, i]),
) as Record<StreamFamily, number>;

/** The feeds of every stream family, built on first use; each family has its own timeline at `rate` items per emulated second. */
export class Feeds {
  private readonly built = new Map<string, Feed>();

  constructor(private readonly ctx: FeedContext) {}

  /** The feed of a row's `family`. */
  of(family: string): Feed {
    let feed = this.built.get(family);
    if (!feed) {
      const seed = hashKeys(this.ctx.seed, STREAM.family, indexOf(family));
      feed = FEED_OF[family as StreamFamily](
        this.ctx,
        new Timeline(seed, this.ctx.startTime, this.ctx.rate),
      );
      this.built.set(family, feed);
    }
    return feed;
  }

  /** The partition (1 to `partitions`) item `n` of `family` belongs to: exactly one. */
  partitionOf(family: string, n: number, partitions: number): number {
    return (hashKeys(this.ctx.seed, STREAM.partition, indexOf(family), n) % partitions) + 1;
  }
}

function indexOf(family: string): number {
  const index = FAMILY_INDEX[family as StreamFamily];
  if (index === undefined) {
    // Unreachable while FEED_OF satisfies Record<StreamFamily, …>; a guard for rows built by hand.
    throw new Error(`The emulator has no feed for the stream family "${family}".`);
  }
  return index;
}
