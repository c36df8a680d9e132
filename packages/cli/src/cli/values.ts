import { UsageError } from './usage-error.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a duration such as `30s`, `5m`, `1h30m`, `500ms` or `90` (seconds).
 * Throws a `UsageError` naming `flag` otherwise.
 */
export function parseDuration(text: string, flag: string, command: string): number {
  const trimmed = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const ms = Number(trimmed) * 1000;
    if (ms > 0) return ms;
  }
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  const joined = parts.map((p) => p[0]).join('');
  if (parts.length > 0 && joined === trimmed) {
    const ms = parts.reduce((sum, p) => sum + Number(p[1]) * (UNITS[p[2] ?? 's'] ?? 0), 0);
    if (ms > 0 && Number.isFinite(ms)) return Math.round(ms);
  }
  throw new UsageError(
    `${flag} must be a duration such as 30s, 5m, 1h30m or 500ms, got '${text}'.`,
    command,
  );
}

/** Parses a whole number in [min, max]; throws a `UsageError` naming `flag` otherwise. */
export function parseInteger(
  text: string,
  flag: string,
  command: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const trimmed = text.trim();
  const n = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range =
      max === Number.MAX_SAFE_INTEGER
        ? `a whole number ≥ ${min}`
        : `a whole number from ${min} to ${max}`;
    throw new UsageError(`${flag} must be ${range}, got '${text}'.`, command);
  }
  return n;
}

/**
 * Parses a comma-separated list (`a,b c`, spaces allowed) and checks every
 * item against `allowed`, naming the first unknown one and the valid values.
 */
export function parseList<T extends string>(
  text: string,
  allowed: readonly T[],
  flag: string,
  command: string,
): T[] {
  const items = text
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) throw new UsageError(`${flag} needs at least one value.`, command);
  const known = new Set<string>(allowed);
  for (const item of items) {
    if (!known.has(item)) {
      throw new UsageError(
        `${flag}: unknown value '${item}'. Valid values: ${allowed.join(', ')}.`,
        command,
      );
    }
  }
  return [...new Set(items)] as T[];
}
