import { defineProject } from 'vitest/config';

/** The settings every package's `vitest.config.ts` shares. */
export function packageProject(name: string) {
  return defineProject({
    resolve: {
      // Read workspace packages from `src/` so tests need no build.
      conditions: ['@birdstream/source'],
    },
    ssr: {
      resolve: { conditions: ['@birdstream/source'] },
    },
    test: {
      name,
      include: ['test/**/*.test.ts'],
      typecheck: {
        enabled: true,
        include: ['test/**/*.test-d.ts'],
        tsconfig: './tsconfig.json',
      },
      benchmark: { include: ['bench/**/*.bench.ts'] },
      // The clients read X_BEARER_TOKEN, TWITTER_BEARER_TOKEN and BIRDSTREAM_BASE_URL when an
      // option is missing: blank them (blank counts as unset) so no test depends on the shell.
      env: { X_BEARER_TOKEN: '', TWITTER_BEARER_TOKEN: '', BIRDSTREAM_BASE_URL: '' },
      // Bounds for a hang, not speeds a test expects: generous, because CI shares a 2-core
      // machine with other work (a test that passes in 2 s alone can take 20 s there). What a
      // test asserts never depends on them (CONTRIBUTING, "Tests that hold at any speed").
      testTimeout: 60_000,
      hookTimeout: 60_000,
      restoreMocks: true,
    },
  });
}
