import { DEFAULT_DEDUPE_WINDOW, IdWindow } from '@birdstream/core';
import { defer, filter, type MonoTypeOperatorFunction } from 'rxjs';
import { requireCount } from '../internal/validate.js';
import { postIdOf } from './post-id.js';

/** Options of `dedupeById` and `mergeRedundant`. */
export interface DedupeByIdConfig<T = unknown> {
  /**
   * How many recent post ids to remember. A post whose id is among them is
   * dropped; memory stays bounded by this number. Size it to cover a
   * backfill: posts per second × the longest outage you backfill (5 min at
   * most), and for redundant connections a few seconds of posts.
   * @default 10_000 (core's `DEFAULT_DEDUPE_WINDOW`)
   */
  window?: number;
  /**
   * Picks the id to compare. Values for which it returns `undefined` always
   * pass (keep-alives and other lifecycle events).
   * @default the post id of a `response` event, a response, a hydrated post or a post
   */
  key?: (value: T) => string | undefined;
  /** Called with the id and the dropped value for each duplicate (for metrics). @default undefined */
  onDuplicate?: (id: string, value: T) => void;
}

/**
 * Drops posts already delivered among the last `window` ids. Backfill after a
 * reconnect and redundant connections deliver the same post again; X does not
 * deduplicate. Works on stream events (only `response` events are compared),
 * responses, hydrated posts or posts. Each subscription has its own window,
 * so put it after `retryStream`: there one window spans every reconnection.
 *
 * @example
 * ```ts
 * source.pipe(retryStream({ backfill: 'auto' }), dedupeById({ window: 50_000 }), responses());
 * ```
 */
export function dedupeById<T>(config: DedupeByIdConfig<T> = {}): MonoTypeOperatorFunction<T> {
  const window = requireCount(
    'dedupeById: window',
    config.window ?? DEFAULT_DEDUPE_WINDOW,
    1,
    false,
  );
  const key = config.key ?? (postIdOf as (value: T) => string | undefined);
  const onDuplicate = config.onDuplicate;
  return (source) =>
    defer(() => {
      // One window per subscription.
      const seen = new IdWindow(window);
      return source.pipe(
        filter((value) => {
          const id = key(value);
          if (id === undefined || !seen.seen(id)) return true;
          onDuplicate?.(id, value);
          return false;
        }),
      );
    });
}
