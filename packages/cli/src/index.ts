// Public API of @birdstream/cli: the `birdstream` command line, callable in-process.
export { ExitCode } from './cli/exit-codes.js';
export { type RunOptions, run } from './run.js';
