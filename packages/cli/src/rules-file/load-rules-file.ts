import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { ExitCode } from '../cli/exit-codes.js';
import { CliError } from '../cli/usage-error.js';
import { parseRulesText } from './parse-rules-text.js';
import type { RulesFile, RulesFileFormat } from './types.js';

const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** The format of a rules file from its extension; other names are sniffed (`[` or `{` means JSON). */
export function detectFormat(path: string, text: string): RulesFileFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  if (ext === '.json') return 'json';
  const first = text.replace(/^\uFEFF/, '').trimStart()[0];
  return first === '[' || first === '{' ? 'json' : 'yaml';
}

/**
 * Reads and parses a rules file. A file that cannot be read is a `CliError`
 * (exit 2); a file with bad content comes back with `problems` (exit 1).
 */
export async function loadRulesFile(path: string, cwd: string): Promise<RulesFile> {
  let text: string;
  try {
    const bytes = await readFile(resolve(cwd, path));
    if (bytes.byteLength > MAX_FILE_BYTES) {
      throw new CliError(`${path}: the rules file is larger than 16 MiB.`, ExitCode.error);
    }
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${path}: ${describeReadError(error)}`, ExitCode.error);
  }
  const format = detectFormat(path, text);
  const parsed = parseRulesText(text, format);
  return { path, format, ...parsed };
}

function describeReadError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') return 'cannot read the rules file: no such file.';
  if (code === 'EISDIR') return 'cannot read the rules file: it is a directory.';
  if (code === 'EACCES' || code === 'EPERM')
    return 'cannot read the rules file: permission denied.';
  if (error instanceof TypeError) return 'the rules file is not valid UTF-8 text.';
  const message = error instanceof Error ? error.message : String(error);
  return `cannot read the rules file: ${message}`;
}
