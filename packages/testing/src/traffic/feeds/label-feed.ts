import { prngFor, STREAM } from '../prng.js';
import type { Timeline } from '../timeline.js';
import { earlierPostIndex, type Feed, type FeedContext, isoTime } from './feed.js';

const NOTICES = [
  {
    event_type: 'misleading',
    label_title: 'Stay informed',
    details: 'This claim has been disputed.',
    extended_details_url: 'https://help.x.com/rules-and-policies/medical-misinformation-policy',
  },
  {
    event_type: 'synthetic_media',
    label_title: 'Manipulated media',
    details: 'This media may have been altered.',
    extended_details_url: 'https://help.x.com/rules-and-policies/manipulated-media',
  },
] as const;

/** `/2/tweets/label/stream`: public notices and unviewable posts, applied and removed. */
export function labelFeed(ctx: FeedContext, timeline: Timeline): Feed {
  return {
    timeline,
    message(n) {
      const rng = prngFor(ctx.seed, STREAM.item, 5 * 0x100_0000 + n);
      const time = timeline.timeOf(n);
      const post = ctx.posts.get(earlierPostIndex(ctx, time, rng.int(0, 500))).world.tweet;
      const tweet = { id: post.id, author_id: post.author_id };
      const application = n % 4 === 3 ? 'remove' : 'apply';
      const event_at = isoTime(time);
      if (n % 2 === 1)
        return { data: { public_tweet_unviewable: { tweet, event_at, application } } };
      return {
        data: { public_tweet_notice: { tweet, event_at, application, ...rng.pick(NOTICES) } },
      };
    },
  };
}
