// `pnpm build` of one package: tsdown with the package's tsdown.config.ts, run
// through tsdown's API rather than its CLI. Same build; the difference is that
// tsdown 0.21's CLI prints "Node.js v20 is deprecated" on every run, and this
// project supports Node 20.19+ on purpose (tsdown 0.22+, which needs Node 22,
// is not an option; see decisions/0001). Build errors still fail the build.
import { build } from 'tsdown';

try {
  // Like `tsdown` without arguments: the config file of the current directory.
  // `--quiet` prints warnings and errors only (the test setup's rebuilds).
  await build(process.argv.includes('--quiet') ? { logLevel: 'warn' } : {});
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
}
