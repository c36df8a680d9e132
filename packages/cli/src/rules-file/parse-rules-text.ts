import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type Pair,
  parseDocument,
  type Scalar,
} from 'yaml';
import { findJsonSyntaxError } from './json-syntax.js';
import { type ScalarStyle, scalarOffsets } from './scalar-offsets.js';
import type { FileProblem, LocatedRule, RulesFileFormat, SourcePosition } from './types.js';

/** What a rules file's text defines. */
export interface ParsedRulesText {
  rules: LocatedRule[];
  problems: FileProblem[];
  entries: number;
}

const RULE_KEYS = new Set(['value', 'tag', 'id']);

/**
 * Parses the text of a rules file: a list of `{ value, tag }` (or plain
 * strings), or an object with such a `rules` list, in JSON or YAML. Every rule
 * and every problem carries its line and column. JSON is checked strictly
 * first (no comments, no trailing commas); both formats are then read with
 * the `yaml` parser, which keeps source positions.
 */
export function parseRulesText(text: string, format: RulesFileFormat): ParsedRulesText {
  // A byte-order mark is not part of the content (columns on line 1 count without it).
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = new LineCounter();
  const at = (offset: number): SourcePosition => {
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  const problems: FileProblem[] = [];
  const result: ParsedRulesText = { rules: [], problems, entries: 0 };

  if (format === 'json') {
    const syntax = findJsonSyntaxError(source);
    if (syntax) {
      lines.addNewLine(0);
      for (let i = 0; i < source.length; i++) if (source[i] === '\n') lines.addNewLine(i + 1);
      problems.push({
        severity: 'error',
        code: 'syntax',
        message: `Invalid JSON: ${syntax.message}.`,
        ...at(syntax.offset),
      });
      return result;
    }
  }

  const doc = parseDocument(source, {
    lineCounter: lines,
    keepSourceTokens: true,
    uniqueKeys: true,
    prettyErrors: false,
  });
  for (const error of doc.errors) {
    problems.push({
      severity: 'error',
      code: 'syntax',
      message: `Invalid ${format === 'json' ? 'JSON' : 'YAML'}: ${firstLine(error.message)}.`,
      ...at(error.pos[0]),
    });
  }
  if (doc.errors.length > 0) return result;

  const root = doc.contents as Node | null;
  let list: Node | null | undefined = root;
  if (isMap(root)) {
    const pair = root.items.find((p) => isScalar(p.key) && p.key.value === 'rules');
    list = pair ? (pair.value as Node | null) : undefined;
    if (!pair) {
      problems.push(
        shape('The file must be a list of rules, or an object with a "rules" list.', root),
      );
    }
  }
  if (list !== undefined && !isSeq(list)) {
    problems.push(
      shape(
        root === null
          ? 'The file is empty: it must be a list of rules, or an object with a "rules" list.'
          : 'The file must be a list of rules, or an object with a "rules" list.',
        list ?? root,
      ),
    );
    return result;
  }
  if (!isSeq(list)) return result;

  result.entries = list.items.length;
  list.items.forEach((item, index) => {
    const rule = readRule(item as Node | null, index);
    if (rule) result.rules.push(rule);
  });
  return result;

  function shape(message: string, node: Node | null | undefined): FileProblem {
    return { severity: 'error', code: 'shape', message, ...at(node?.range?.[0] ?? 0) };
  }

  function problem(
    code: FileProblem['code'],
    message: string,
    offset: number,
    ruleIndex: number,
    severity: FileProblem['severity'] = 'error',
  ): void {
    problems.push({ severity, code, message, ruleIndex, ...at(offset) });
  }

  function readRule(item: Node | null, index: number): LocatedRule | undefined {
    const label = `Rule ${index + 1}`;
    if (isScalar(item) && typeof item.value === 'string') {
      return stringRule(item, index, label, undefined);
    }
    if (!isMap(item)) {
      const offset = item?.range?.[0] ?? list?.range?.[0] ?? 0;
      problem(
        'shape',
        `${label} must be an object with a "value" (and an optional "tag"), or a string.`,
        offset,
        index,
      );
      return undefined;
    }
    let valuePair: Pair | undefined;
    let tag: string | undefined;
    let ok = true;
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      const keyOffset = (pair.key as Node | null)?.range?.[0] ?? item.range?.[0] ?? 0;
      if (key === undefined || !RULE_KEYS.has(key)) {
        problem(
          'unknown-key',
          `${label} has an unknown key ${JSON.stringify(key ?? '?')}: a rule has "value" and an optional "tag".`,
          keyOffset,
          index,
        );
        ok = false;
        continue;
      }
      if (key === 'value') valuePair = pair;
      if (key === 'tag') {
        const node = pair.value as Node | null;
        if (node === null || (isScalar(node) && node.value === null)) continue;
        if (isScalar(node) && typeof node.value === 'string') {
          tag = node.value;
          continue;
        }
        problem(
          'not-a-string',
          `${label}: "tag" must be a string.`,
          node.range?.[0] ?? keyOffset,
          index,
        );
        ok = false;
      }
    }
    if (!valuePair) {
      problem('missing-value', `${label} has no "value".`, item.range?.[0] ?? 0, index);
      return undefined;
    }
    const valueNode = valuePair.value as Node | null;
    const keyOffset = (valuePair.key as Node | null)?.range?.[0] ?? 0;
    if (valueNode === null || (isScalar(valueNode) && valueNode.value === null)) {
      const comment = isScalar(valueNode) ? (valueNode.comment ?? undefined) : undefined;
      const hint =
        format === 'yaml' && comment !== undefined && /^\S/.test(comment)
          ? ` In YAML, # starts a comment: quote a rule that begins with a hashtag ("#${comment.split(/\s/)[0]} …").`
          : '';
      problem('missing-value', `${label} has an empty "value".${hint}`, keyOffset, index);
      return undefined;
    }
    if (!isScalar(valueNode) || typeof valueNode.value !== 'string') {
      problem(
        'not-a-string',
        `${label}: "value" must be a string.`,
        valueNode.range?.[0] ?? keyOffset,
        index,
      );
      return undefined;
    }
    const rule = stringRule(valueNode as Scalar<string>, index, label, tag);
    return ok ? rule : undefined;
  }

  function stringRule(
    node: Scalar,
    index: number,
    label: string,
    tag: string | undefined,
  ): LocatedRule | undefined {
    const value = node.value as string;
    const start = node.range?.[0] ?? 0;
    if (value.trim() === '') {
      problem('empty-value', `${label} has an empty "value".`, start, index);
      return undefined;
    }
    const trailing = node.comment ?? undefined;
    if (
      format === 'yaml' &&
      node.type === 'PLAIN' &&
      trailing !== undefined &&
      /^\S/.test(trailing)
    ) {
      const word = trailing.split(/\s/)[0];
      problem(
        'yaml-comment',
        `${label}: "#${word}" after the value is a YAML comment, not part of the rule; quote the value if you meant the hashtag.`,
        start + value.length,
        index,
        'warning',
      );
    }
    const offsets = scalarOffsets(source, start, styleOf(node));
    const first = at(offsets[0] ?? start);
    const rule: LocatedRule = {
      index,
      value,
      line: first.line,
      column: first.column,
      locate(position) {
        if (position === undefined || position < 1) return first;
        const offset = offsets[position - 1];
        return offset === undefined ? first : at(offset);
      },
    };
    if (tag !== undefined) rule.tag = tag;
    return rule;
  }
}

function styleOf(node: Scalar): ScalarStyle {
  switch (node.type) {
    case 'QUOTE_DOUBLE':
      return 'double';
    case 'QUOTE_SINGLE':
      return 'single';
    case 'PLAIN':
      return 'plain';
    default:
      return 'block';
  }
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message)
    .replace(/ at line \d+, column \d+:?$/, '')
    .replace(/\.$/, '');
}
