import type { PostSource } from '../post-source.js';
import { renderMessage } from '../render.js';
import type { Feed, FeedRequest } from './feed.js';

/**
 * Posts: every post on the sample and firehose streams, those in the
 * stream's language on a language firehose, those matching a rule (with
 * `matching_rules`) on a stream selected by rules.
 */
export function postFeed(posts: PostSource): Feed {
  return {
    timeline: posts.timeline,
    message(n: number, { row, selection, rules }: FeedRequest) {
      const post = posts.get(n);
      const lang = row.language;
      if (lang !== undefined && post.world.tweet.lang !== lang) return undefined;
      if (row.selection !== 'rules') return { ...renderMessage(post.world, selection) };
      const matching = rules.match(post.match);
      if (matching.length === 0) return undefined;
      return { ...renderMessage(post.world, selection, matching) };
    },
  };
}
