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
      testTimeout: 20_000,
      restoreMocks: true,
    },
  });
}
