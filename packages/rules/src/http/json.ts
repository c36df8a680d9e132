/**
 * Ids such as `"id": 1273636687768285186` exceed 2^53 and lose precision in
 * `JSON.parse` (spec §7.1). Before parsing, bare integers of 16 digits or more
 * under a key ending in `id` are quoted, so they arrive as exact strings.
 * Escaped quotes inside string values (`\"id\": 1…`) are left alone.
 */
const LONG_NUMERIC_ID = /(?<!\\)("(?:[A-Za-z_]*_)?id"\s*:\s*)(-?[0-9]{16,})(?=\s*[,}\]])/g;

/** `JSON.parse` that keeps long numeric ids exact by reading them as strings. */
export function parseJsonKeepingIds(text: string): unknown {
  return JSON.parse(text.replace(LONG_NUMERIC_ID, '$1"$2"'));
}
