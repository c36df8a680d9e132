/** A 1-based line and column in a rules file. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** The file formats a rules file may use. */
export type RulesFileFormat = 'json' | 'yaml';

/** One rule of a rules file, with where it is written. */
export interface LocatedRule {
  /** 0-based index in the file's list. */
  index: number;
  value: string;
  tag?: string;
  /** Where the value's first character is. */
  line: number;
  column: number;
  /**
   * Where the 1-based character `position` of the value is in the file (X's
   * and the offline validator's "at position N"). Falls back to the value's start.
   */
  locate(position: number | undefined): SourcePosition;
}

/** A problem with the file itself (syntax, shape, keys), found before any rule validation. */
export interface FileProblem {
  severity: 'error' | 'warning';
  code:
    | 'syntax'
    | 'shape'
    | 'missing-value'
    | 'not-a-string'
    | 'empty-value'
    | 'unknown-key'
    | 'yaml-comment';
  message: string;
  line: number;
  column: number;
  /** The rule the problem belongs to, when there is one. */
  ruleIndex?: number;
}

/** A parsed rules file: the rules it defines and the problems found in it. */
export interface RulesFile {
  /** The path as given on the command line. */
  path: string;
  format: RulesFileFormat;
  rules: LocatedRule[];
  problems: FileProblem[];
  /** Number of entries in the file's list (valid or not). */
  entries: number;
}
