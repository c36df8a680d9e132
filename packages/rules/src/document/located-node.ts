/**
 * A parsed rules document as a tree whose nodes remember where they are
 * written (0-based UTF-16 offsets into the source text). The JSON reader of
 * this package builds one; a reader for another format (the CLI's YAML) can
 * build one too and pass it to `readRulesTree`, so every format gets the same
 * checks, messages and positions.
 */
export type LocatedNode =
  | LocatedObject
  | LocatedArray
  | LocatedString
  | { kind: 'number'; offset: number; value: number }
  | { kind: 'boolean'; offset: number; value: boolean }
  | { kind: 'null'; offset: number }
  /** Anything else a format can hold (a YAML alias, a date): never a valid rule or value. */
  | { kind: 'other'; offset: number };

/** An object (a JSON object, a YAML mapping), with its entries in source order. */
export interface LocatedObject {
  kind: 'object';
  /** Where the object starts (its `{`, or its first key in block YAML). */
  offset: number;
  entries: readonly LocatedEntry[];
}

/** One key and its value in a {@link LocatedObject}. */
export interface LocatedEntry {
  key: string;
  /** Where the key is written. */
  keyOffset: number;
  value: LocatedNode;
}

/** An array (a JSON array, a YAML sequence). */
export interface LocatedArray {
  kind: 'array';
  offset: number;
  items: readonly LocatedNode[];
}

/** A string, with where each of its characters is written. */
export interface LocatedString {
  kind: 'string';
  /** Where the string is written: its opening quote when it is quoted. */
  offset: number;
  /** The decoded text. */
  value: string;
  /**
   * The source offset of each UTF-16 unit of `value`, so that a problem "at
   * position N" of a rule points at the exact character even through escapes
   * (`\"`, `\u00e9`, YAML's `''`). A unit missing here is shown at the start
   * of the value.
   * @default undefined: the value is written verbatim right after a
   * one-character opening quote (unit k at `offset + 1 + k`), as a JSON string
   * without escapes is
   */
  units?: readonly number[];
}

/** The source offset of unit `k` (0-based) of a string's value, if it is known. */
export function unitOffset(node: LocatedString, k: number): number | undefined {
  if (node.units) return node.units[k];
  return k >= 0 && k < node.value.length ? node.offset + 1 + k : undefined;
}
