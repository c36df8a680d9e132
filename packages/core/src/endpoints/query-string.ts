/**
 * Turns stream parameters into a query string: lists become one
 * comma-separated value (`tweet.fields=created_at,author_id`), duplicates
 * removed, undefined values skipped.
 */
export function toSearchParams(params: object): URLSearchParams {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      if (value.length === 0) continue;
      search.set(key, [...new Set(value.map(String))].join(','));
    } else {
      search.set(key, String(value));
    }
  }
  return search;
}
