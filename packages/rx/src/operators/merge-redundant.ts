import { merge, type Observable } from 'rxjs';
import { type DedupeByIdConfig, dedupeById } from './dedupe-by-id.js';

/**
 * Merges two redundant connections to the same stream (Enterprise allows two
 * to one URL; both receive the same posts) into one stream in which each post
 * appears once, whichever connection delivered it first. Lifecycle events of
 * both connections pass through. Give each connection its own
 * `retryStream` (and `heartbeatTimeout`): like `merge`, the result errors as
 * soon as either input errors.
 *
 * @example
 * ```ts
 * const connection = () =>
 *   fromFilteredStream(client, params).pipe(heartbeatTimeout(30_000), retryStream());
 * mergeRedundant(connection(), connection()).pipe(tweets());
 * ```
 */
export function mergeRedundant<A, B>(
  first: Observable<A>,
  second: Observable<B>,
  config: DedupeByIdConfig<A | B> = {},
): Observable<A | B> {
  const dedupe = dedupeById<A | B>(config);
  return merge(first, second).pipe(dedupe);
}
