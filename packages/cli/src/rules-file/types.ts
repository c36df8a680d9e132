import type { LocatedRule, RulesDocumentIssueCode } from '@birdstream/rules';

/** A 1-based line and column in a rules file. */
export type { DocumentPosition as SourcePosition } from '@birdstream/rules';
/**
 * A rule of a rules file, with where it is written: `@birdstream/rules`'
 * type, for JSON and YAML alike. `rule.locate(position)` is the file position
 * of the value's character `position` (offline and X's "at position N");
 * `rule.locate()` is the value's first character.
 */
export type { LocatedRule };

/** The file formats a rules file may use. */
export type RulesFileFormat = 'json' | 'yaml';

/** A problem with the file itself (syntax, shape, keys), found before any rule validation. */
export interface FileProblem {
  severity: 'error' | 'warning';
  /** `@birdstream/rules`' document issue codes, plus the YAML comment pitfall. */
  code: RulesDocumentIssueCode | 'yaml-comment';
  message: string;
  line: number;
  column: number;
  /** The rule the problem belongs to, when there is one. */
  ruleIndex?: number;
}

/** What a rules file's text defines. */
export interface ParsedRulesText {
  /** The rules read without a problem; `index` is each one's place in the file's list. */
  rules: LocatedRule[];
  /**
   * Rules with a problem of the file (an unknown key, say) whose value could
   * be read: validated too, so every problem is reported in one run.
   * @default []
   */
  flagged?: LocatedRule[];
  problems: FileProblem[];
  /** Number of entries in the file's list (valid or not). */
  entries: number;
}

/** A parsed rules file: the rules it defines and the problems found in it. */
export interface RulesFile extends ParsedRulesText {
  /** The path as given on the command line. */
  path: string;
  format: RulesFileFormat;
}
