import { z } from 'zod';
import { Includes } from './includes.js';
import { MatchingRule } from './matching-rule.js';
import { wireObject } from './primitives.js';
import { Problem } from './problems.js';
import { Tweet } from './tweet.js';

/**
 * One message of the filtered stream (`GET /2/tweets/search/stream`): a post
 * (`data`) with its `includes` and the rules it matched, and/or `errors`
 * (partial errors next to a post, or in-band system messages such as an
 * operational disconnect, alone).
 */
export const StreamResponse = wireObject({
  data: Tweet.optional(),
  includes: Includes.optional(),
  matching_rules: z.array(MatchingRule).optional(),
  errors: z.array(Problem).optional(),
});
export type StreamResponse = z.infer<typeof StreamResponse>;

/** One message of the sample, sample10 and firehose streams: as {@link StreamResponse}, without `matching_rules`. */
export const SampleStreamResponse = wireObject({
  data: Tweet.optional(),
  includes: Includes.optional(),
  errors: z.array(Problem).optional(),
});
export type SampleStreamResponse = z.infer<typeof SampleStreamResponse>;
