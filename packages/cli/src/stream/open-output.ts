import { createWriteStream, openSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { ExitCode } from '../cli/exit-codes.js';
import { CliError } from '../cli/usage-error.js';
import { JsonlWriter } from '../output/jsonl-writer.js';

/** Where `birdstream stream` writes, and how to describe it. */
export interface StreamOutput {
  writer: JsonlWriter;
  /** `stdout` or the file path as given. */
  label: string;
  isFile: boolean;
}

/**
 * Opens the output file at once (so a bad path fails before connecting to
 * X), truncating it or appending to it; without a path, writes to stdout.
 */
export function openOutput(
  path: string | undefined,
  options: { cwd: string; append: boolean; stdout: Writable },
): StreamOutput {
  if (path === undefined || path === '-') {
    return { writer: new JsonlWriter(options.stdout), label: 'stdout', isFile: false };
  }
  const absolute = resolve(options.cwd, path);
  let fd: number;
  try {
    fd = openSync(absolute, options.append ? 'a' : 'w');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reason =
      code === 'ENOENT'
        ? 'its directory does not exist'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a directory'
            : String(code ?? (error as Error).message);
    throw new CliError(`Cannot write the output file ${path}: ${reason}.`, ExitCode.error);
  }
  const file = createWriteStream(absolute, { fd, autoClose: true });
  return { writer: new JsonlWriter(file, { owned: true }), label: path, isFile: true };
}
