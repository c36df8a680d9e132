import { z } from 'zod';
import { IdString, wireObject } from './primitives.js';

/**
 * A filtered-stream rule that matched the post. `id` is always a string: a
 * JSON number (as recorded in 2021) is accepted when it is exact (below
 * 2^53; birdstream's own parser keeps larger ones exact as strings).
 * `tag` is a string, `null`, `""` or absent for a rule created without one.
 */
export const MatchingRule = wireObject({
  id: z.union([IdString, z.int().nonnegative().transform(String)]),
  tag: z.string().nullish(),
  /** Set for `embedding:` rules. */
  embedding_similarity: z.number().optional(),
  embedding_threshold: z.number().optional(),
});
export type MatchingRule = z.infer<typeof MatchingRule>;
