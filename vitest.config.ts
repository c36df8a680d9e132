import { defineConfig } from 'vitest/config';
import projects from './vitest.workspace.ts';

export default defineConfig({
  test: {
    projects,
    // Builds the packages that tests run as real programs, when their dist/ is stale.
    globalSetup: ['./vitest.global-setup.ts'],
  },
});
