import type { Writable } from 'node:stream';
import { type Clock, systemClock } from '@birdstream/core';
import { CONSUMER_SECRET_VARIABLE } from '@birdstream/webhooks';
import { formatHelp, parseCommandArgs, refuseTokenFlags, wantsHelp } from './cli/args.js';
import { type CommandContext, isTTY } from './cli/context.js';
import { describeFailure } from './cli/describe-error.js';
import { type Env, findToken } from './cli/env.js';
import { ExitCode } from './cli/exit-codes.js';
import { proxySecrets } from './cli/proxy.js';
import { createRedactor } from './cli/redact.js';
import { UsageError } from './cli/usage-error.js';
import { cliVersion } from './cli/version.js';
import type { Command } from './commands/command.js';
import { COMMANDS, findCommand, groupHelp, topLevelHelp } from './commands/index.js';

/** Where `run()` reads and writes; every field defaults to the current process. */
export interface RunOptions {
  /**
   * Environment variables (`X_BEARER_TOKEN`, `BIRDSTREAM_BASE_URL`, `GITHUB_ACTIONS`, …).
   * @default process.env
   */
  env?: Env;
  /**
   * Where reports and JSONL go.
   * @default process.stdout
   */
  stdout?: Writable;
  /**
   * Where progress, summaries and errors go.
   * @default process.stderr
   */
  stderr?: Writable;
  /**
   * Stops a running command cleanly (like Ctrl-C): a stream closes its
   * connection, flushes its output and prints its summary. When the reason
   * is `'SIGTERM'` the exit code is 143, otherwise 130.
   */
  signal?: AbortSignal;
  /**
   * Directory that relative file paths are resolved against.
   * @default process.cwd()
   */
  cwd?: string;
  /**
   * Time source for `--duration` and the progress line (tests pass a virtual clock).
   * @default systemClock
   */
  clock?: Clock;
}

/**
 * Runs the `birdstream` command line with `argv` (without `node` and the
 * script name) and resolves with the exit code: 0 success, 1 invalid rules,
 * 2 usage, credentials, network or API errors, 130/143 after a signal. It
 * never throws and never calls `process.exit`: the bin does that.
 *
 * @example
 * ```ts
 * import { run } from '@birdstream/cli';
 * const code = await run(['rules', 'validate', 'rules.json', '--json'], { env: process.env });
 * ```
 */
export async function run(argv: readonly string[], options: RunOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  // The consumer secret too (`birdstream webhooks …` reads it): never printed, whoever echoes it.
  const redact = createRedactor([
    findToken(env),
    env[CONSUMER_SECRET_VARIABLE],
    ...proxySecrets(env, argv),
  ]);
  const ctx: CommandContext = {
    env,
    stdout,
    stderr,
    signal: options.signal ?? new AbortController().signal,
    cwd: options.cwd ?? process.cwd(),
    clock: options.clock ?? systemClock,
    stdoutIsTTY: isTTY(stdout),
    stderrIsTTY: isTTY(stderr),
    redact,
    out: (text) => {
      stdout.write(`${redact(text)}\n`);
    },
    err: (text) => {
      stderr.write(`${redact(text)}\n`);
    },
  };
  try {
    return await dispatch(ctx, argv);
  } catch (error) {
    const failure = describeFailure(error);
    // One line, whatever the library's message looks like.
    ctx.err(`birdstream: ${failure.message.replace(/\s*\n\s*/g, ' ')}`);
    if (env.BIRDSTREAM_DEBUG === '1' && error instanceof Error && error.stack) {
      ctx.err(error.stack);
      if (error.cause instanceof Error && error.cause.stack)
        ctx.err(`Caused by: ${error.cause.stack}`);
    }
    return failure.exitCode;
  }
}

async function dispatch(ctx: CommandContext, argv: readonly string[]): Promise<number> {
  refuseTokenFlags(argv);
  const [first, second] = argv;
  if (first === undefined) {
    ctx.stderr.write(topLevelHelp());
    return ExitCode.error;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? argv.slice(1).filter((a) => !a.startsWith('-')) : [];
    return printHelpFor(ctx, topic);
  }
  if (first === '--version' || first === '-v') {
    ctx.out(cliVersion());
    return ExitCode.ok;
  }
  if (first.startsWith('-')) {
    throw new UsageError(`Put the command first, as in 'birdstream stream ${first} …'.`);
  }
  const found = findCommand(first, second);
  if (found === undefined) {
    const group = COMMANDS.some((c) => c.spec.name.startsWith(`${first} `));
    if (group && (second === undefined || second.startsWith('-'))) {
      if (second === '--help' || second === '-h') {
        ctx.out(groupHelp(first).trimEnd());
        return ExitCode.ok;
      }
      ctx.stderr.write(groupHelp(first));
      return ExitCode.error;
    }
    const what = group ? `${first} ${second}` : first;
    throw new UsageError(`Unknown command '${what}'.`, group ? first : undefined);
  }
  const rest = argv.slice(found.spec.name.split(' ').length);
  return runCommand(ctx, found, rest);
}

async function runCommand(
  ctx: CommandContext,
  command: Command,
  argv: readonly string[],
): Promise<number> {
  if (wantsHelp(argv)) {
    ctx.out(formatHelp(command.spec).trimEnd());
    return ExitCode.ok;
  }
  const args = parseCommandArgs(command.spec, argv);
  return command.run(ctx, args);
}

function printHelpFor(ctx: CommandContext, topic: string[]): number {
  const [first, second] = topic;
  if (first === undefined) {
    ctx.out(topLevelHelp().trimEnd());
    return ExitCode.ok;
  }
  const command = findCommand(first, second);
  if (command) {
    ctx.out(formatHelp(command.spec).trimEnd());
    return ExitCode.ok;
  }
  if (COMMANDS.some((c) => c.spec.name.startsWith(`${first} `))) {
    ctx.out(groupHelp(first).trimEnd());
    return ExitCode.ok;
  }
  throw new UsageError(`Unknown command '${topic.join(' ')}'.`);
}
