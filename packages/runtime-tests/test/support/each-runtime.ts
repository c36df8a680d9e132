import { afterEach, describe, it } from 'vitest';
import { isRuntime, RUNTIMES, type Runtime, titleOf } from './runtimes.js';

/**
 * Defines the same tests on each runtime (Bun, Deno), in a `describe` named
 * for it. A runtime that is missing gets a skipped `describe` whose title
 * says why (also printed on stderr by `runtimes.ts`): never a silent skip.
 */
export function describeEachRuntime(define: (runtime: Runtime) => void): void {
  for (const runtime of RUNTIMES) {
    if (isRuntime(runtime)) {
      describe(titleOf(runtime), () => define(runtime));
    } else {
      describe.skip(titleOf(runtime), () => {
        it(`needs ${runtime.name}`, () => undefined);
      });
    }
  }
}

/**
 * Closes what a test started, after each test (last started, first closed):
 * `const emu = track(await startRealTimeEmulator(…), (e) => e.close())`.
 */
export function closeAfterEach(): <T>(value: T, close: (value: T) => unknown) => T {
  const closers: (() => unknown)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  return (value, close) => {
    closers.push(() => close(value));
    return value;
  };
}
