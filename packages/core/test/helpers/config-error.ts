import { isConfigError } from '@birdstream/core';
import { expect } from 'vitest';

/** The message of the `ConfigError` that `fn` throws; fails the test when it throws anything else or nothing. */
export function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(isConfigError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}
