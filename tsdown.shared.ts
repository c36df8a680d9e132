import { defineConfig, type UserConfig } from 'tsdown';

/**
 * One build configuration for every public package: ESM with `.d.ts` and
 * source maps. ESM only: Node 20.19+ can `require()` ES modules, so a CJS copy
 * would only double the package (see decisions/0002-esm-only.md).
 */
export function packageBuild(
  entry: Record<string, string> | string[] = ['src/index.ts'],
  overrides: UserConfig = {},
) {
  return defineConfig({
    entry,
    format: ['esm'],
    platform: 'node',
    target: 'node20.19',
    dts: true,
    sourcemap: true,
    clean: true,
    unbundle: false,
    fixedExtension: false,
    // Rolldown's "your build spent significant time in plugins" hint: it reports the machine's
    // load on the d.ts plugin, not a problem with the output, and made green runs look amber.
    checks: { pluginTimings: false },
    ...overrides,
  });
}
