import { filter, map, type OperatorFunction } from 'rxjs';
import type { ResponseEvent, StreamEvent } from '../events/stream-event.js';

/**
 * Keeps the responses that carry a post: turns stream events into the
 * responses with `data` (and their `includes`, `matching_rules` and partial
 * `errors`), dropping keep-alives, lifecycle events and error-only messages.
 * It emits whole responses, not bare posts: `resolveIncludes()` joins a
 * response's includes to its post.
 *
 * @example
 * ```ts
 * fromFilteredStream(client, params)
 *   .pipe(retryStream(), responses())
 *   .subscribe((response) => console.log(response.data.text));
 * ```
 */
export function responses<R>(): OperatorFunction<StreamEvent<R>, R> {
  return (source) =>
    source.pipe(
      filter(
        (event): event is ResponseEvent<R> =>
          event.type === 'response' && hasData((event as ResponseEvent<R>).response),
      ),
      map((event) => event.response),
    );
}

function hasData(response: unknown): boolean {
  return typeof response === 'object' && response !== null && 'data' in response;
}
