// `pnpm demo` runs the build of this file: see src/run-demo.ts.
import { runDemo } from './run-demo.js';

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());

try {
  process.exitCode = await runDemo(
    process.argv.slice(2),
    { write: (text) => process.stdout.write(text), isTTY: process.stdout.isTTY === true },
    controller.signal,
  );
} catch (error) {
  process.stderr.write(`demo: ${(error as Error).message}\n`);
  process.exitCode = 2;
}
