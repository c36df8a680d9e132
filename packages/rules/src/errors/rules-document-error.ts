import { ConfigError, isConfigError } from '@birdstream/core';
import type { RulesDocumentIssue } from '../document/document-issue.js';

/**
 * A rules document could not be read: invalid JSON, or not a list of
 * `{ "value": …, "tag": … }`. `issues` locates every problem (line, column).
 */
export class RulesDocumentError extends ConfigError {
  override name = 'RulesDocumentError';
  /** Every problem found, in document order. */
  readonly issues: RulesDocumentIssue[];
  /** The file name given to the parser, if any. */
  readonly file: string | undefined;

  constructor(issues: RulesDocumentIssue[], file?: string) {
    const where = file ?? 'the rules document';
    const lines = issues.map(
      (issue) => `  - line ${issue.line}, column ${issue.column}: ${issue.message}`,
    );
    super(
      `${where} is not a valid rules document (${issues.length === 1 ? '1 problem' : `${issues.length} problems`}); it must be JSON like [{ "value": "cat has:images", "tag": "cats" }] or { "rules": [...] }:\n${lines.join('\n')}`,
    );
    this.issues = issues;
    this.file = file;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), file: this.file, issues: this.issues };
  }
}

/** True for a {@link RulesDocumentError} (from any copy of the package). */
export function isRulesDocumentError(value: unknown): value is RulesDocumentError {
  return isConfigError(value) && value.name === 'RulesDocumentError';
}
