import { joinIncludes } from '@birdstream/core';
import type { HydratedPost, ResponseWithPost } from './hydrated-post.js';

/**
 * Joins a stream response's post with its `includes`: author, replied-to
 * user, mentioned users, media, polls, place and referenced posts (each
 * hydrated the same way, three levels deep). This is core's `joinIncludes()`
 * (the one joining behaviour, shared with the CLI's `--flatten`), typed from
 * the response. Missing includes — a deleted post, an expansion that was not
 * requested — give `undefined` or are left out, never an error.
 *
 * @example
 * ```ts
 * const hydrated = hydratePost(response);
 * console.log(hydrated.author?.username, hydrated.media.length);
 * ```
 */
export function hydratePost<R extends ResponseWithPost>(response: R): HydratedPost<R> {
  return joinIncludes(response) as unknown as HydratedPost<R>;
}
