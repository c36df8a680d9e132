import {
  isAbortedError,
  isApiError,
  isAuthenticationError,
  isConfigError,
  isConnectionError,
  isForbiddenError,
  isRateLimitError,
  isRuleConfigurationError,
  isStallError,
  isTooManyConnectionsError,
  isUsageCapExceededError,
} from '@birdstream/core';
import { isRuleValidationError } from '@birdstream/rules';
import { ExitCode } from './exit-codes.js';
import { isCliError, isUsageError } from './usage-error.js';

/** What to print for a failure, and the exit code. */
export interface FailureReport {
  message: string;
  exitCode: number;
}

/**
 * Turns any error into one clear line and an exit code. Messages say what to
 * do next; stack traces are left to `BIRDSTREAM_DEBUG=1`.
 */
export function describeFailure(error: unknown): FailureReport {
  const report = describeOne(error);
  return { ...report, message: withGaveUp(report.message, error) };
}

/**
 * After `--max-retries`, core adds "Gave up after N attempts over T …" to the
 * last error's message: keep that sentence, in CLI words, even where the CLI
 * words the error itself.
 */
function withGaveUp(message: string, error: unknown): string {
  const original = error instanceof Error ? error.message : '';
  const gaveUp = /Gave up after .*$/.exec(original)?.[0];
  if (gaveUp === undefined) return message;
  // The sentence ends the line, after any cause the CLI appended.
  const rest = message.replace(gaveUp, '').replace(/\s+/g, ' ').trim();
  return `${rest} ${gaveUp.replace('(maxRetries)', '(--max-retries)')}`;
}

function describeOne(error: unknown): FailureReport {
  if (isUsageError(error)) {
    const help = error.command ? `birdstream ${error.command} --help` : 'birdstream --help';
    return { message: `${error.message} See '${help}'.`, exitCode: ExitCode.error };
  }
  if (isCliError(error)) return { message: error.message, exitCode: error.exitCode };
  if (isRuleValidationError(error)) {
    return {
      message: `Offline validation refused the rules (${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}); nothing was sent. Run \`birdstream rules validate <file>\` to see them.`,
      exitCode: ExitCode.invalid,
    };
  }
  if (isAuthenticationError(error)) {
    return {
      message:
        'X rejected the bearer token (401 Unauthorized): check X_BEARER_TOKEN; it must be the app-only bearer token of an App inside a Project.',
      exitCode: ExitCode.error,
    };
  }
  if (isRuleConfigurationError(error)) {
    return {
      message:
        'The filtered stream has no rules (409 RuleConfigurationIssue): add rules first with `birdstream rules sync rules.json`, or use --sample.',
      exitCode: ExitCode.error,
    };
  }
  if (isForbiddenError(error)) {
    const what = [error.title, error.detail].filter(Boolean).join(': ');
    return {
      message: `X refused access (403${what ? ` ${what}` : ''}). The App must belong to a Project with access to this endpoint, and the token must be app-only.`,
      exitCode: ExitCode.error,
    };
  }
  if (isUsageCapExceededError(error)) {
    return {
      message: `X's post cap is reached (429 UsageCapExceeded${error.detail ? `: ${error.detail}` : ''}); the stream cannot resume until the cap period resets.`,
      exitCode: ExitCode.error,
    };
  }
  if (isTooManyConnectionsError(error)) {
    return {
      message:
        'Another connection holds the stream (429 TooManyConnections): stop the other client, or wait for X to drop a stale connection.',
      exitCode: ExitCode.error,
    };
  }
  if (isRateLimitError(error)) {
    const reset = error.rateLimit?.resetAtMs;
    const when = reset ? ` after ${new Date(reset).toISOString()}` : ' later';
    return {
      message: `X rate limit reached (429 Too Many Requests): try again${when}.`,
      exitCode: ExitCode.error,
    };
  }
  if (isApiError(error)) return { message: error.message, exitCode: ExitCode.error };
  if (isConnectionError(error)) {
    return { message: withCause(error.message, error.cause), exitCode: ExitCode.error };
  }
  if (isStallError(error) || isConfigError(error)) {
    return { message: error.message, exitCode: ExitCode.error };
  }
  if (isAbortedError(error)) return { message: 'Aborted.', exitCode: ExitCode.interrupted };
  const message = error instanceof Error ? error.message : String(error);
  return {
    message: `Unexpected error: ${message} (set BIRDSTREAM_DEBUG=1 for details).`,
    exitCode: ExitCode.error,
  };
}

/** Appends the low-level reason (ECONNREFUSED …) when the message does not already say it. */
function withCause(message: string, cause: unknown): string {
  const code = (cause as { code?: unknown } | undefined)?.code;
  const inner = (cause as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  const reason = typeof code === 'string' ? code : typeof inner === 'string' ? inner : undefined;
  if (reason === undefined || message.includes(reason)) return message;
  return `${message} (${reason})`;
}
