/**
 * The list of vitest projects in this repository (one per workspace package).
 * Vitest 4 no longer reads this file on its own: `vitest.config.ts` feeds it
 * to `test.projects`, so this stays the single list of projects.
 */
export default [
  'packages/core',
  'packages/rules',
  'packages/rx',
  'packages/testing',
  'packages/cli',
  'packages/test-utils',
  'examples/demo',
  'bench',
  'packages/redis',
  'scripts',
  'packages/runtime-tests',
  'packages/webhooks',
  'packages/prometheus',
];
