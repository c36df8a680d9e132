import type { FieldParams, FilteredStreamParams } from '../params/stream-params.js';
import type { MatchingRule } from '../schemas/matching-rule.js';
import type { Problem } from '../schemas/problems.js';
import type { IncludesPart, TweetFor } from './objects-for.js';
import type { Simplify } from './requested.js';

/**
 * A filtered-stream message carrying a post, typed by the request: `data`
 * and `matching_rules` are always there, `data` and `includes` are narrowed by
 * the requested fields and expansions (see {@link TweetFor},
 * {@link IncludesFor}), `errors` holds partial errors if any.
 *
 * @example
 * ```ts
 * const stream = client.filter({ 'tweet.fields': ['created_at'], expansions: ['author_id'] });
 * for await (const response of stream) {
 *   response.data.created_at; // string
 *   response.includes.users;  // User[]
 * }
 * ```
 */
export type FilteredStreamResponseFor<Params extends FilteredStreamParams> = Simplify<
  {
    data: TweetFor<Params>;
    matching_rules: MatchingRule[];
    errors?: Problem[];
  } & IncludesPart<Params>
>;

/** A sample/firehose message carrying a post, typed by the request (no `matching_rules`). */
export type SampleStreamResponseFor<Params extends FieldParams> = Simplify<
  {
    data: TweetFor<Params>;
    errors?: Problem[];
  } & IncludesPart<Params>
>;
