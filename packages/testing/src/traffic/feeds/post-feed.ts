import type { StreamEndpointInfo } from '@birdstream/core';
import type { PostSource } from '../post-source.js';
import { renderMessage } from '../render.js';
import type { Feed, FeedRequest } from './feed.js';

/** The language of a language firehose, read from its path (`…/lang/en`). */
function languageOf(row: StreamEndpointInfo): string | undefined {
  return /\/lang\/([a-z]{2})$/.exec(row.path)?.[1];
}

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
      const lang = languageOf(row);
      if (lang !== undefined && post.world.tweet.lang !== lang) return undefined;
      if (row.selection !== 'rules') return { ...renderMessage(post.world, selection) };
      const matching = rules.match(post.match);
      if (matching.length === 0) return undefined;
      return { ...renderMessage(post.world, selection, matching) };
    },
  };
}
