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
      testTimeout: 20_000,
      restoreMocks: true,
    },
  });
}
