// The `birdstream-emulator` command (bin/birdstream-emulator.js imports the build of this file).
import { describeCliError, runEmulatorCli } from './cli/emulator-cli.js';

const io = {
  out: (line: string) => process.stdout.write(`${line}\n`),
  err: (line: string) => process.stderr.write(`${line}\n`),
};

try {
  const running = await runEmulatorCli(process.argv.slice(2), io);
  if (running) {
    const stop = () => {
      running.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
} catch (error) {
  io.err(`birdstream-emulator: ${describeCliError(error)}`);
  process.exitCode = 2;
}
