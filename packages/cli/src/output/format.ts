/** `1234567` → `1,234,567`. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A rate with one decimal: `12.3`. */
export function formatRate(perSecond: number): string {
  return perSecond >= 100 ? formatCount(perSecond) : perSecond.toFixed(1);
}

/** `83_000` → `1m 23s`; `3_723_000` → `1h 02m 03s`; `4_200` → `4.2s`. */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(Math.max(0, ms) / 1000).toFixed(1)}s`;
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m ${String(s).padStart(2, '0')}s`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

/** A rule value for a report line: quoted, control characters escaped, long values shortened. */
export function quoteValue(value: string, max = 80): string {
  const escaped = JSON.stringify(value);
  if (escaped.length <= max) return escaped;
  return `${escaped.slice(0, max - 2)}…"`;
}

/** `1 rule`, `2 rules`. */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : pluralForm}`;
}
