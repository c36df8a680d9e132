import { ConfigError } from '@birdstream/core';

/** Throws a `ConfigError` unless `value` is a finite number greater than 0. */
export function requirePositiveMs(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(
      `${name} must be a finite number of milliseconds above 0 (got ${String(value)}).`,
    );
  }
  return value;
}

/** Throws a `ConfigError` unless `value` is an integer ≥ `min` (or `Infinity` when allowed). */
export function requireCount(
  name: string,
  value: unknown,
  min: number,
  allowInfinity: boolean,
): number {
  const ok =
    typeof value === 'number' &&
    ((allowInfinity && value === Number.POSITIVE_INFINITY) ||
      (Number.isInteger(value) && value >= min));
  if (!ok) {
    const range = allowInfinity ? `an integer ≥ ${min} or Infinity` : `an integer ≥ ${min}`;
    throw new ConfigError(`${name} must be ${range} (got ${String(value)}).`);
  }
  return value as number;
}
