import { z } from 'zod';
import { RulesDocumentError } from '../errors/rules-document-error.js';
import type { LocatedRule } from './document-rule.js';
import { JsonSyntaxError, parseLocatedJson } from './located-json.js';
import {
  type ReadRulesTreeOptions,
  type RulesDocumentResult,
  readRulesTree,
} from './read-rules-tree.js';
import { SourceLines } from './source-lines.js';

export type { LocatedRule } from './document-rule.js';

/**
 * One entry of a rules document, in its object form (an entry may also be
 * just the rule's value, as a string). Strict, unlike server payloads: a file
 * is written by hand, so an unknown key is most likely a typo (`"tga"`,
 * `"values"`) that would otherwise be silently ignored. `id` is allowed and
 * ignored, so that the output of `birdstream rules list --json` is a rules
 * document.
 */
export const RulesDocumentEntry = z.strictObject({
  value: z.string().refine((value) => value.trim() !== '', 'A rule needs a non-empty value'),
  tag: z.string().nullish(),
  id: z.unknown().optional(),
});
export type RulesDocumentEntry = z.infer<typeof RulesDocumentEntry>;

/** The result of {@link parseRulesDocument}. */
export interface RulesDocument {
  rules: LocatedRule[];
}

/** Options of {@link parseRulesDocument}. */
export interface ParseRulesDocumentOptions {
  /**
   * The file name, for error messages.
   * @default undefined ("the rules document")
   */
  file?: string;
}

/**
 * Parses a JSON rules document, `[{ "value": …, "tag": … }]` or
 * `{ "rules": [...] }`, and returns the rules with where each is written (for
 * CI annotations). A rule may also be just its value as a string, and an `id`
 * key is ignored, so `birdstream rules list --json` output can be read back.
 * Throws {@link RulesDocumentError} listing every problem with its line,
 * column and code; {@link safeParseRulesDocument} returns them instead. It
 * checks the document's shape only: pass the rules to `validateRules` to
 * check the rules themselves.
 *
 * @example
 * ```ts
 * const { rules } = parseRulesDocument(text, { file: 'rules.json' });
 * const report = validateRules(rules);
 * for (const p of report.problems) {
 *   const { line, column } = p.index === undefined ? { line: 1, column: 1 } : rules[p.index]!.locate(p.position);
 *   console.log(`::error file=rules.json,line=${line},col=${column}::${p.message}`);
 * }
 * ```
 */
export function parseRulesDocument(
  text: string,
  options: ParseRulesDocumentOptions = {},
): RulesDocument {
  const { rules, issues } = safeParseRulesDocument(text);
  if (issues.length > 0) throw new RulesDocumentError(issues, options.file);
  return { rules };
}

/**
 * Like {@link parseRulesDocument}, but never throws: returns the rules that
 * were read without a problem, every problem (`issues`, with line, column
 * and code) and the number of entries. Invalid JSON is one `syntax` issue at
 * the offending character, and no rules.
 *
 * @example
 * ```ts
 * const { rules, issues } = safeParseRulesDocument(text);
 * for (const issue of issues) {
 *   console.log(`::error file=rules.json,line=${issue.line},col=${issue.column}::${issue.message}`);
 * }
 * ```
 */
export function safeParseRulesDocument(
  text: string,
  options: ReadRulesTreeOptions = {},
): RulesDocumentResult {
  let root: ReturnType<typeof parseLocatedJson>;
  try {
    root = parseLocatedJson(text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const at = new SourceLines(text).at(error.offset);
    return {
      rules: [],
      issues: [{ code: 'syntax', message: error.message, ...at, path: [] }],
      flaggedRules: [],
      entries: 0,
    };
  }
  return readRulesTree(root, text, options);
}
