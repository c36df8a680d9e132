import type { RuleInput } from '../client/types.js';
import { type LocatedNode, type LocatedString, unitOffset } from './located-node.js';
import type { DocumentPosition, SourceLines } from './source-lines.js';

/** A rule read from a document, with where it is written. */
export interface LocatedRule extends RuleInput {
  /** 0-based index in the document's list of rules (entries with problems count too). */
  index: number;
  /** 1-based line of the rule's entry: its `{`, or the value itself for a rule written as a string. */
  line: number;
  /** 1-based column of the rule's entry. */
  column: number;
  /** 1-based line where the value is written (its opening quote, when it is quoted). */
  valueLine: number;
  /** 1-based column where the value is written (its opening quote, when it is quoted). */
  valueColumn: number;
  /**
   * Where the 1-based character `position` of the value is written, through
   * escapes (`\"`, `\u00e9`): give it the `position` of a `validateRules`
   * problem, or the N of X's "(at position N)", to annotate the exact
   * character. Without a position (or one past the value), the value's first
   * character.
   *
   * @example
   * ```ts
   * const { line, column } = rule.locate(problem.position);
   * console.log(`::error file=rules.json,line=${line},col=${column}::${problem.message}`);
   * ```
   */
  locate(position?: number): DocumentPosition;
}

/**
 * The {@link LocatedRule} of a document reader. Only the rule's data are
 * enumerable properties, so `JSON.stringify`, spreading and `structuredClone`
 * see a plain `{ value, tag?, index, line, column, valueLine, valueColumn }`.
 */
export class DocumentRule implements LocatedRule {
  declare tag?: string;
  value: string;
  index: number;
  line: number;
  column: number;
  valueLine: number;
  valueColumn: number;
  readonly #value: LocatedString;
  readonly #lines: SourceLines;

  constructor(
    entry: LocatedNode,
    value: LocatedString,
    index: number,
    tag: string | undefined,
    lines: SourceLines,
  ) {
    this.value = value.value;
    if (tag !== undefined) this.tag = tag;
    this.index = index;
    const at = lines.at(entry.offset);
    this.line = at.line;
    this.column = at.column;
    const written = lines.at(value.offset);
    this.valueLine = written.line;
    this.valueColumn = written.column;
    this.#value = value;
    this.#lines = lines;
  }

  locate(position?: number): DocumentPosition {
    const node = this.#value;
    const k = position === undefined || !(position >= 1) ? 0 : Math.floor(position) - 1;
    const offset = unitOffset(node, k) ?? unitOffset(node, 0) ?? node.offset;
    return this.#lines.at(offset);
  }
}
