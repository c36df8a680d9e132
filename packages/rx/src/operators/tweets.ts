import { filter, map, type OperatorFunction } from 'rxjs';
import type { ResponseEvent, StreamEvent } from '../events/stream-event.js';

/**
 * Keeps only the posts: turns stream events into the responses that carry
 * `data` (with their `includes`, `matching_rules` and partial `errors`),
 * dropping keep-alives and lifecycle events.
 *
 * @example
 * ```ts
 * fromFilteredStream(client, params)
 *   .pipe(retryStream(), tweets())
 *   .subscribe((response) => console.log(response.data.text));
 * ```
 */
export function tweets<R>(): OperatorFunction<StreamEvent<R>, R> {
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
