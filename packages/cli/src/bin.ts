import { ExitCode } from './cli/exit-codes.js';
import { run } from './run.js';

/**
 * The `birdstream` executable. SIGINT/SIGTERM abort the run's signal, so the
 * running command shuts down cleanly (the stream closes its connection,
 * flushes and prints its summary); a second signal exits at once. The exit
 * code is set, not forced, so stdout and stderr are flushed before exit.
 */
const controller = new AbortController();
let signals = 0;

function onSignal(signal: 'SIGINT' | 'SIGTERM'): void {
  signals += 1;
  if (signals > 1) {
    process.exit(signal === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted);
  }
  controller.abort(signal);
}

process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
// A reader that goes away (`birdstream rules list | head -1`) is not a crash.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

const code = await run(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
});
process.exitCode = code;
process.off('SIGINT', onSignal);
process.off('SIGTERM', onSignal);
// Stopped by a signal with output a reader never took (the run already gave it a grace period
// and said so on stderr): waiting for the pipe would hold the process until SIGKILL.
if (signals > 0 && process.stdout.writableLength > 0) process.exit(code);
// Nothing should be left running; if a library leaves a handle open, do not hang after the work is done.
setTimeout(() => process.exit(code), 2000).unref();
