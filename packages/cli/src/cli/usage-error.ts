/**
 * The command line itself is wrong (unknown flag, missing argument, bad
 * value, a refused `--token`). Exit code 2; the message is printed with a hint
 * to run `--help`.
 */
export class UsageError extends Error {
  override name = 'UsageError';
  /** The command path to suggest `--help` for, such as `rules validate`. */
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
}

export function isUsageError(value: unknown): value is UsageError {
  return value instanceof UsageError;
}

/**
 * A failure that is fully described by its message and exit code (missing
 * token, unreadable file, refused confirmation). Printed as one line.
 */
export class CliError extends Error {
  override name = 'CliError';
  readonly exitCode: number;

  constructor(message: string, exitCode: number) {
    super(message);
    this.exitCode = exitCode;
  }
}

export function isCliError(value: unknown): value is CliError {
  return value instanceof CliError;
}
