// @ts-check
/** Order statistics for the report. */

/** @param {readonly number[]} values */
export function sorted(values) {
  return [...values].sort((a, b) => a - b);
}

/**
 * The median (mean of the two middle values for an even count).
 * @param {readonly number[]} values
 */
export function median(values) {
  if (values.length === 0) return Number.NaN;
  const s = sorted(values);
  const mid = Math.floor(s.length / 2);
  const upper = s[mid] ?? Number.NaN;
  const lower = s[mid - 1] ?? Number.NaN;
  return s.length % 2 ? upper : (lower + upper) / 2;
}

/**
 * Nearest-rank percentile, `p` in (0, 100].
 * @param {readonly number[]} values
 * @param {number} p
 */
export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const s = sorted(values);
  return /** @type {number} */ (s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]);
}

/** @param {readonly number[]} values */
export function range(values) {
  const s = sorted(values);
  return { min: s[0] ?? Number.NaN, max: s[s.length - 1] ?? Number.NaN };
}
