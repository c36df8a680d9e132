import type { StreamEndpointInfo } from '@birdstream/core';
import type { RuleStore } from '../../rules/rule-store.js';
import type { FieldSelection } from '../field-selection.js';
import type { PostSource } from '../post-source.js';
import type { Timeline } from '../timeline.js';
import type { UserDirectory } from '../users.js';

/** One stream connection's view of a feed: its row of core's endpoint table and what it asked for. */
export interface FeedRequest {
  row: StreamEndpointInfo;
  selection: FieldSelection;
  rules: RuleStore;
}

/**
 * The items of one stream family (posts, likes, compliance events, labels,
 * activity events) on a replayable timeline: item `n` is created at
 * `timeline.timeOf(n)` and rebuilt from `(seed, n)` alone, so backfill and
 * recovery replay the same bytes.
 */
export interface Feed {
  readonly timeline: Timeline;
  /** Item `n` as a stream message for `request`, or `undefined` when that connection does not carry it (no rule matches, another language). */
  message(n: number, request: FeedRequest): Record<string, unknown> | undefined;
}

/** What every feed is built from. */
export interface FeedContext {
  seed: number;
  startTime: number;
  rate: number;
  /** The platform's posts: the other families refer to them. */
  posts: PostSource;
  users: UserDirectory;
}

/** RFC 3339 with milliseconds, as X writes `event_at`. */
export function isoTime(ms: number): string {
  return new Date(Math.floor(ms)).toISOString();
}

/** A post created shortly before emulated time `time` (what a like or a compliance event is about). */
export function earlierPostIndex(ctx: FeedContext, time: number, back: number): number {
  return Math.max(0, ctx.posts.timeline.firstAtOrAfter(time) - 1 - back);
}
