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

/** One problem in a rules document, located for annotations (`::error file=…,line=…::`). */
export interface RulesDocumentIssue {
  /** What kind of problem, stable for machines. */
  code: RulesDocumentIssueCode;
  message: string;
  /** 1-based line in the document. */
  line: number;
  /** 1-based column in the document. */
  column: number;
  /** Where in the JSON: `[2, 'value']`, or `['rules', 0, 'tag']`. */
  path: (string | number)[];
  /** Index of the rule concerned, when the problem is inside one. */
  index?: number;
}
