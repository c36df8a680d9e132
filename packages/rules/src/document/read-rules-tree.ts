import { closestKey } from './did-you-mean.js';
import type { RulesDocumentIssue, RulesDocumentIssueCode } from './document-issue.js';
import { DocumentRule, type LocatedRule } from './document-rule.js';
import type { LocatedArray, LocatedNode, LocatedObject, LocatedString } from './located-node.js';
import { SourceLines } from './source-lines.js';

/** What a rules document defines, and every problem found in it. */
export interface RulesDocumentResult {
  /**
   * The rules read without a problem, in document order. `index` is each
   * rule's place in the document's list, so it skips the entries with problems.
   */
  rules: LocatedRule[];
  /** Every problem, in document order; empty when the document is valid. */
  issues: RulesDocumentIssue[];
  /**
   * Entries with a problem of their own (an unknown key, a tag that is not a
   * string) whose value could still be read, in document order. They are not
   * in `rules`, but pass them to `validateRules` too (by `index`) to report
   * every problem of the document in one run.
   */
  flaggedRules: LocatedRule[];
  /** How many entries the document's list has, valid or not (0 when there is no list). */
  entries: number;
}

/** Options of {@link readRulesTree}. */
export interface ReadRulesTreeOptions {
  /**
   * Called with each entry of the rules list and its index, before the entry
   * is read, so that a reader for another format can add its own checks (the
   * CLI warns there about a YAML comment that swallowed a hashtag).
   * @default undefined
   */
  onEntry?: (entry: LocatedNode, index: number) => void;
}

/** Keys a rule may have; `id` (as `birdstream rules list --json` writes it) is ignored. */
const RULE_KEYS = ['value', 'tag', 'id'];

type Path = (string | number)[];

/**
 * Reads the rules of an already parsed document, given as a
 * {@link LocatedNode} tree (`null` for an empty document) and the text its
 * offsets refer to. It is the part of `parseRulesDocument` that does not
 * depend on JSON: a reader for another format builds the tree and gets the
 * same rules, checks, messages and positions. Never throws.
 *
 * A document is a list of rules or an object with a `rules` list; a rule is
 * `{ "value": …, "tag": … }` (an `id` key is ignored) or just its value as a
 * string. Every problem is reported, and entries without problems are kept.
 *
 * @example
 * ```ts
 * // What a YAML reader would build for `- cat (has:images` (a plain scalar: no quotes)
 * const text = '- cat (has:images';
 * const value = 'cat (has:images';
 * const units = [...value].map((_, k) => 2 + k);
 * const { rules } = readRulesTree(
 *   { kind: 'array', offset: 0, items: [{ kind: 'string', offset: 2, value, units }] },
 *   text,
 * );
 * rules[0]?.locate(5); // { line: 1, column: 7 }: the "("
 * ```
 */
export function readRulesTree(
  root: LocatedNode | null,
  text: string,
  options: ReadRulesTreeOptions = {},
): RulesDocumentResult {
  const reader = new TreeReader(new SourceLines(text));
  const list = reader.list(root);
  if (list === undefined) return reader.result(0);
  list.node.items.forEach((item, index) => {
    options.onEntry?.(item, index);
    reader.entry(item, index, list.path);
  });
  return reader.result(list.node.items.length);
}

class TreeReader {
  private readonly rules: LocatedRule[] = [];
  private readonly flagged: LocatedRule[] = [];
  private readonly issues: RulesDocumentIssue[] = [];

  constructor(private readonly lines: SourceLines) {}

  result(entries: number): RulesDocumentResult {
    return { rules: this.rules, issues: this.issues, flaggedRules: this.flagged, entries };
  }

  private report(
    code: RulesDocumentIssueCode,
    message: string,
    offset: number,
    path: Path,
    index?: number,
  ): void {
    const issue: RulesDocumentIssue = { code, message, ...this.lines.at(offset), path };
    if (index !== undefined) issue.index = index;
    this.issues.push(issue);
  }

  /** The document's list of rules and its path, after reporting what is wrong around it. */
  list(root: LocatedNode | null): { node: LocatedArray; path: Path } | undefined {
    const expected = 'an array of rules or an object with a "rules" array';
    if (root === null) {
      this.report('shape', `The document is empty: write ${expected}.`, 0, []);
      return undefined;
    }
    if (root.kind === 'array') return { node: root, path: [] };
    if (root.kind !== 'object') {
      this.report(
        'shape',
        `A rules document is ${expected}, not ${describe(root)}.`,
        root.offset,
        [],
      );
      return undefined;
    }
    return this.rulesOf(root);
  }

  private rulesOf(root: LocatedObject): { node: LocatedArray; path: Path } | undefined {
    let rules: LocatedNode | undefined;
    for (const entry of root.entries) {
      if (entry.key === 'rules') {
        rules = entry.value;
        continue;
      }
      this.report(
        'shape',
        `Unknown key "${entry.key}": the document object has only "rules".`,
        entry.keyOffset,
        [entry.key],
      );
    }
    if (rules === undefined) {
      this.report(
        'shape',
        'The document object needs a "rules" array, as in { "rules": [{ "value": "cat has:images" }] }.',
        root.offset,
        [],
      );
      return undefined;
    }
    if (rules.kind !== 'array') {
      this.report(
        'shape',
        `"rules" must be an array of rules, not ${describe(rules)}.`,
        rules.offset,
        ['rules'],
      );
      return undefined;
    }
    return { node: rules, path: ['rules'] };
  }

  /** Reads one entry of the list: a rule, or problems. */
  entry(item: LocatedNode, index: number, prefix: Path): void {
    const label = `Rule ${index + 1}`;
    const path = [...prefix, index];
    if (item.kind === 'string') {
      this.rule(item, item, index, undefined, path);
      return;
    }
    if (item.kind !== 'object') {
      this.report(
        'shape',
        `${label} must be an object with a "value" (and an optional "tag") or a string, not ${describe(item)}.`,
        item.offset,
        path,
        index,
      );
      return;
    }
    let ok = true;
    let tag: string | undefined;
    let value: { keyOffset: number; node: LocatedNode } | undefined;
    for (const { key, keyOffset, value: node } of item.entries) {
      if (key === 'value') {
        value = { keyOffset, node };
      } else if (key === 'tag') {
        if (node.kind === 'string') tag = node.value;
        else if (node.kind !== 'null') {
          ok = false;
          this.report(
            'not-a-string',
            `${label}: "tag" must be a string (or null for no tag), not ${describe(node)}.`,
            node.offset,
            [...path, key],
            index,
          );
        }
      } else if (key !== 'id') {
        ok = false;
        const hint = suggestion(key, RULE_KEYS);
        this.report(
          'unknown-key',
          `${label} has an unknown key "${key}"${hint}: a rule has only "value", an optional "tag" and an ignored "id".`,
          keyOffset,
          [...path, key],
          index,
        );
      }
    }
    const valuePath = [...path, 'value'];
    if (value === undefined) {
      this.report(
        'missing-value',
        `${label} has no "value": add the rule's text as "value".`,
        item.offset,
        valuePath,
        index,
      );
    } else if (value.node.kind === 'null') {
      this.report('missing-value', emptyValue(label), value.keyOffset, valuePath, index);
    } else if (value.node.kind !== 'string') {
      this.report(
        'not-a-string',
        `${label}: "value" must be a string (the rule's text), not ${describe(value.node)}.`,
        value.node.offset,
        valuePath,
        index,
      );
    } else if (ok) {
      this.rule(item, value.node, index, tag, valuePath);
    } else if (!this.blank(value.node, index, valuePath)) {
      this.flagged.push(new DocumentRule(item, value.node, index, tag, this.lines));
    }
  }

  private rule(
    entry: LocatedNode,
    value: LocatedString,
    index: number,
    tag: string | undefined,
    path: Path,
  ): void {
    if (this.blank(value, index, path)) return;
    this.rules.push(new DocumentRule(entry, value, index, tag, this.lines));
  }

  /** Reports an empty or blank value; `true` if it was one. */
  private blank(value: LocatedString, index: number, path: Path): boolean {
    if (value.value.trim() !== '') return false;
    this.report('empty-value', emptyValue(`Rule ${index + 1}`), value.offset, path, index);
    return true;
  }
}

function emptyValue(label: string): string {
  return `${label} has an empty "value": give the rule's text, such as "cat has:images".`;
}

function suggestion(key: string, candidates: readonly string[]): string {
  const near = closestKey(key, candidates);
  return near === undefined ? '' : ` (did you mean "${near}"?)`;
}

/** How a message names a node of each kind (numbers and booleans show their value). */
const KIND_NAMES: Record<LocatedNode['kind'], string> = {
  object: 'an object',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  boolean: 'a boolean',
  null: 'null',
  other: 'a value of another type',
};

function describe(node: LocatedNode): string {
  if (node.kind === 'number') return `a number (${node.value})`;
  if (node.kind === 'boolean') return String(node.value);
  return KIND_NAMES[node.kind];
}
