import type { CommandSpec, ParsedArgs } from '../cli/args.js';
import type { CommandContext } from '../cli/context.js';

/** One `birdstream` command: its arguments and help, and what it does. Returns the exit code. */
export interface Command {
  spec: CommandSpec;
  run(ctx: CommandContext, args: ParsedArgs): Promise<number>;
}
