import type { Writable } from 'node:stream';
import type { Clock } from '@birdstream/core';
import type { Env } from './env.js';

/** Everything a command needs from the outside world; `run()` builds it. */
export interface CommandContext {
  readonly env: Env;
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** Aborted on SIGINT/SIGTERM (by the bin) or by the caller of `run()`. */
  readonly signal: AbortSignal;
  readonly cwd: string;
  readonly clock: Clock;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  /** Removes the bearer token from a text. */
  redact(text: string): string;
  /** Writes a line of human-readable text to stdout (redacted). */
  out(text: string): void;
  /** Writes a line of human-readable text to stderr (redacted). */
  err(text: string): void;
}

/** Whether a stream is an interactive terminal. */
export function isTTY(stream: Writable): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true;
}
