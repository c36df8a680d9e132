import { type LocatedNode, readRulesTree } from '@birdstream/rules';
import { LineCounter, parseDocument, type Scalar } from 'yaml';
import { fileProblems } from './file-problems.js';
import type { FileProblem, ParsedRulesText } from './types.js';
import { type ScalarOrigins, toLocatedNode } from './yaml-tree.js';

/**
 * Reads a YAML rules file: `yaml` parses it (keeping every node's source
 * range), the tree is handed to `readRulesTree` of `@birdstream/rules` (the
 * same checks and positions as JSON files), and YAML's own trap is checked on
 * the way: `#` starts a comment, so `value: cats #dogs` is `cats` (a warning)
 * and `value: #dogs` is empty (an error, with the fix).
 */
export function parseYamlRules(source: string): ParsedRulesText {
  const lines = new LineCounter();
  const at = (offset: number) => {
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  const doc = parseDocument(source, {
    lineCounter: lines,
    keepSourceTokens: true,
    uniqueKeys: true,
    prettyErrors: false,
  });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map(
      (error): FileProblem => ({
        severity: 'error',
        code: 'syntax',
        message: `Invalid YAML: ${firstLine(error.message)}.`,
        ...at(error.pos[0]),
      }),
    );
    return { rules: [], problems, entries: 0 };
  }

  const origins: ScalarOrigins = new Map();
  const root = doc.contents === null ? null : toLocatedNode(doc.contents, source, 0, origins);
  const warnings: FileProblem[] = [];
  const hashtagHints = new Map<number, string>();
  const result = readRulesTree(root, source, {
    onEntry(entry, index) {
      const value = valueNodeOf(entry);
      const scalar = value && origins.get(value);
      const word = scalar && hashtagComment(scalar, source);
      if (!scalar || word === undefined) return;
      if (scalar.value === null) {
        hashtagHints.set(
          index,
          ` In YAML, # starts a comment: quote a rule that begins with a hashtag ("#${word} …").`,
        );
      } else if (typeof scalar.value === 'string' && scalar.value.trim() !== '') {
        warnings.push({
          severity: 'warning',
          code: 'yaml-comment',
          message: `Rule ${index + 1}: "#${word}" after the value is a YAML comment, not part of the rule; quote the value if you meant the hashtag.`,
          ...at(source.indexOf('#', scalar.range?.[1] ?? 0)),
          ruleIndex: index,
        });
      }
    },
  });
  const parsed = fileProblems(result, warnings);
  for (const problem of parsed.problems) {
    const hint = problem.ruleIndex === undefined ? undefined : hashtagHints.get(problem.ruleIndex);
    if (hint && problem.code === 'missing-value') problem.message += hint;
  }
  return parsed;
}

/** The node of an entry's value: the entry itself for a rule written as a string. */
function valueNodeOf(entry: LocatedNode): LocatedNode | undefined {
  if (entry.kind === 'string') return entry;
  if (entry.kind !== 'object') return undefined;
  return entry.entries.find((e) => e.key === 'value')?.value;
}

/**
 * The first word of a comment that starts right after `#` on the value's own
 * line (`cats #dogs`), which is most likely a hashtag meant to be in the rule;
 * `undefined` for quoted values and for real comments (`# photos only`).
 */
function hashtagComment(scalar: Scalar, source: string): string | undefined {
  if (scalar.type !== 'PLAIN' || !scalar.comment || !/^\S/.test(scalar.comment)) return undefined;
  const end = scalar.range?.[1] ?? 0;
  const hash = source.indexOf('#', end);
  if (hash === -1 || source.slice(end, hash).includes('\n')) return undefined;
  return scalar.comment.split(/\s/)[0];
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message)
    .replace(/ at line \d+, column \d+:?$/, '')
    .replace(/\.$/, '');
}
