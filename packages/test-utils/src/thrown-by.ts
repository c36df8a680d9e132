/**
 * What `run` throws, for assertions on the error itself (its type guard,
 * its fields). Fails the test with a clear message when nothing is thrown.
 *
 * @example
 * ```ts
 * const error = thrownBy(() => retryStream({ maxRetries: -1 }));
 * expect(isConfigError(error)).toBe(true);
 * ```
 */
export function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('Expected the call to throw, but it returned.');
}
