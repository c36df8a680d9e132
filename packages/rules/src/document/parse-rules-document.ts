import { z } from 'zod';
import type { RuleInput } from '../client/types.js';
import { RulesDocumentError, type RulesDocumentIssue } from '../errors/rules-document-error.js';
import {
  type JsonNode,
  JsonSyntaxError,
  lineColumn,
  nodeAt,
  parseLocatedJson,
  toPlain,
} from './located-json.js';

/**
 * One entry of a rules document. Strict, unlike server payloads: a file is
 * written by hand, so an unknown key is most likely a typo (`"tga"`,
 * `"values"`) that would otherwise be silently ignored.
 */
export const RulesDocumentEntry = z.strictObject({
  value: z.string(),
  tag: z.string().nullish(),
});
export type RulesDocumentEntry = z.infer<typeof RulesDocumentEntry>;

/** A rule read from a document, with where it is. */
export interface LocatedRule extends RuleInput {
  /** Index in the document's list of rules. */
  index: number;
  /** 1-based line of the rule's `{`. */
  line: number;
  /** 1-based column of the rule's `{`. */
  column: number;
  /** 1-based line and column of the value's opening quote. */
  valueLine: number;
  valueColumn: number;
}

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
 * `{ "rules": [...] }`, and returns the rules with the line of each (for CI
 * annotations). Throws {@link RulesDocumentError} listing every problem with
 * its line and column. It checks the document's shape only: pass the rules
 * to `validateRules` to check the rules themselves.
 *
 * @example
 * ```ts
 * const { rules } = parseRulesDocument(text, { file: 'rules.json' });
 * const report = validateRules(rules);
 * for (const p of report.problems) {
 *   const rule = rules[p.index ?? 0];
 *   console.log(`::error file=rules.json,line=${rule?.line ?? 1}::${p.message}`);
 * }
 * ```
 */
export function parseRulesDocument(
  text: string,
  options: ParseRulesDocumentOptions = {},
): RulesDocument {
  const { file } = options;
  const at = (
    offset: number,
    message: string,
    path: (string | number)[],
    index?: number,
  ): RulesDocumentIssue => {
    const issue: RulesDocumentIssue = { message, ...lineColumn(text, offset), path };
    if (index !== undefined) issue.index = index;
    return issue;
  };

  let root: JsonNode;
  try {
    root = parseLocatedJson(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError)
      throw new RulesDocumentError([at(error.offset, error.message, [])], file);
    throw error;
  }

  let list: JsonNode | undefined;
  let prefix: (string | number)[] = [];
  if (root.kind === 'array') {
    list = root;
  } else if (root.kind === 'object') {
    const issues: RulesDocumentIssue[] = [];
    for (const entry of root.entries) {
      if (entry.key === 'rules') continue;
      issues.push(
        at(entry.keyOffset, `Unknown key "${entry.key}": the document object has only "rules"`, [
          entry.key,
        ]),
      );
    }
    list = nodeAt(root, ['rules']);
    if (list === root) {
      issues.push(at(root.offset, 'The document object needs a "rules" array', []));
      list = undefined;
    } else if (list.kind !== 'array') {
      issues.push(at(list.offset, '"rules" must be an array of rules', ['rules']));
      list = undefined;
    }
    if (issues.length > 0) throw new RulesDocumentError(issues, file);
    prefix = ['rules'];
  }
  if (list?.kind !== 'array') {
    throw new RulesDocumentError(
      [
        at(
          root.offset,
          'A rules document is an array of rules or an object with a "rules" array',
          [],
        ),
      ],
      file,
    );
  }

  const issues: RulesDocumentIssue[] = [];
  const rules: LocatedRule[] = [];
  for (const [index, item] of list.items.entries()) {
    const parsed = RulesDocumentEntry.safeParse(toPlain(item));
    if (!parsed.success) {
      for (const issue of parsed.error.issues) issues.push(locateIssue(issue, item, index));
      continue;
    }
    const valueAt = lineColumn(text, nodeAt(item, ['value']).offset);
    const rule: LocatedRule = {
      value: parsed.data.value,
      index,
      ...lineColumn(text, item.offset),
      valueLine: valueAt.line,
      valueColumn: valueAt.column,
    };
    if (typeof parsed.data.tag === 'string') rule.tag = parsed.data.tag;
    rules.push(rule);
  }
  if (issues.length > 0) throw new RulesDocumentError(issues, file);
  return { rules };

  function locateIssue(issue: z.core.$ZodIssue, item: JsonNode, index: number): RulesDocumentIssue {
    const inner = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
    const path = [...prefix, index, ...inner];
    const shown = `rule ${index + 1}${inner.length > 0 ? ` ("${inner.join('.')}")` : ''}`;
    if (issue.code === 'unrecognized_keys' && item.kind === 'object') {
      const key = issue.keys[0];
      const entry = item.entries.find((e) => e.key === key);
      return at(
        entry?.keyOffset ?? item.offset,
        `rule ${index + 1} has unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}: a rule has only "value" and "tag"`,
        [...path, ...(key ? [key] : [])],
        index,
      );
    }
    if (inner[0] === 'value' && issue.code === 'invalid_type' && nodeAt(item, ['value']) === item) {
      return at(item.offset, `rule ${index + 1} needs a "value" (the rule text)`, [...path], index);
    }
    return at(nodeAt(item, inner).offset, `${shown}: ${issue.message}`, path, index);
  }
}
