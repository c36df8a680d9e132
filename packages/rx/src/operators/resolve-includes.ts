import { type JoinedResponse, joinIncludes, type ResponseWithPost } from '@birdstream/core';
import { map, type OperatorFunction } from 'rxjs';

/**
 * Turns each response into a `JoinedResponse` (core's `joinIncludes()`): the
 * post joined with its author, replied-to user, mentioned users, media,
 * polls, place and referenced posts from `includes`, plus its matching rules
 * and partial errors. Request the matching expansions (`author_id`,
 * `entities.mentions.username`, `attachments.media_keys`, …); what was not
 * included is `undefined` or empty.
 *
 * @example
 * ```ts
 * stream.pipe(responses(), resolveIncludes()).subscribe(({ post, author, media }) =>
 *   console.log(`@${author?.username}: ${post.text} (${media.length} media)`),
 * );
 * ```
 */
export function resolveIncludes<R extends ResponseWithPost>(): OperatorFunction<
  R,
  JoinedResponse<R>
> {
  return map((response: R) => joinIncludes(response));
}
