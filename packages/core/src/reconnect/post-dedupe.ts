import { IdWindow } from '../dedupe/id-window.js';

/**
 * The one seam between the stream driver and its dedupe memory: `seen(id,
 * at)` answers whether a post id was already delivered, and records it.
 * Today an `IdWindow` of the last `window` ids; `at` (clock time) is there
 * for a time-based window.
 */
export interface PostDedupe {
  seen(id: string, at: number): boolean;
}

/** The stream's dedupe memory, or `undefined` when dedupe is off (`window` 0). */
export function createPostDedupe(window: number): PostDedupe | undefined {
  if (window <= 0) return undefined;
  const ids = new IdWindow(window);
  return { seen: (id) => ids.seen(id) };
}
