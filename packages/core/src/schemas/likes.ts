import { z } from 'zod';
import { Includes } from './includes.js';
import { OptionalId, wireObject } from './primitives.js';
import { Problem } from './problems.js';

/** A like's own id: an opaque string such as `8ba4f34e6235d905a46bac021d98e923` (not a numeric id). */
export const LikeId = z
  .string()
  .regex(/^[A-Za-z0-9_]{1,40}$/, 'Expected a like id: 1 to 40 letters, digits or _.');

/**
 * A Like of the likes streams (`LikeWithTweetAuthor`, OpenAPI 2.159): the
 * like's own `id` (an opaque string such as `8ba4f34e6235d905a46bac021d98e923`,
 * not a numeric id), the liked post and its author, and when it happened.
 * X sends `id` always; the rest when requested with
 * `like_with_tweet_author.fields`. OpenAPI 2.159 names the author
 * `tweet_author_id` in the object but `liked_tweet_author_id` in the field
 * list, so both are accepted.
 */
export const LikeWithTweetAuthor = wireObject({
  id: LikeId,
  created_at: z.string().optional(),
  liked_tweet_id: OptionalId,
  tweet_author_id: OptionalId,
  liked_tweet_author_id: OptionalId,
  /**
   * When the like happened, epoch ms. A number (X's spec says int32, which
   * cannot hold it); X's own emulator sends a numeric string, which
   * `validate: 'tolerant'` reads as the number and reports as drift.
   */
  timestamp_ms: z.number().optional(),
});
export type LikeWithTweetAuthor = z.infer<typeof LikeWithTweetAuthor>;

/**
 * One message of the likes streams (`/2/likes/firehose/stream`,
 * `/2/likes/sample10/stream`; `StreamingLikeResponseV2`): a like (`data`)
 * with the liked posts and their authors in `includes` (expansions
 * `liked_tweet_id`, `liked_tweet_author_id`), and/or `errors`.
 */
export const LikeStreamResponse = wireObject({
  data: LikeWithTweetAuthor.optional(),
  includes: Includes.optional(),
  errors: z.array(Problem).optional(),
});
export type LikeStreamResponse = z.infer<typeof LikeStreamResponse>;
