import type { RulesDocumentIssue } from '../errors/rules-document-error.js';

/**
 * What is wrong with a rules document, as a stable identifier:
 * - `syntax`: not valid JSON (or not valid YAML, for the CLI's reader);
 * - `shape`: not a list of rules, an unknown key next to `"rules"`, or an
 *   entry that is neither an object nor a string;
 * - `unknown-key`: a key other than `value`, `tag` and `id` in a rule (a typo
 *   such as `"tga"` would otherwise drop the tag silently);
 * - `missing-value`: a rule without `value`, or with a `null` one;
 * - `not-a-string`: a `value` or `tag` that is not a string;
 * - `empty-value`: a `value` that is empty or only spaces.
 */
export type RulesDocumentIssueCode =
  | 'syntax'
  | 'shape'
  | 'unknown-key'
  | 'missing-value'
  | 'not-a-string'
  | 'empty-value';

/** A {@link RulesDocumentIssue} with its {@link RulesDocumentIssueCode}. */
export interface LocatedIssue extends RulesDocumentIssue {
  code: RulesDocumentIssueCode;
}
