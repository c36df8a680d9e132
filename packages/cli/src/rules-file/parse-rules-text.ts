import { safeParseRulesDocument } from '@birdstream/rules';
import { fileProblems } from './file-problems.js';
import { parseYamlRules } from './parse-yaml-rules.js';
import type { ParsedRulesText, RulesFileFormat } from './types.js';

/**
 * Parses the text of a rules file: a list of `{ value, tag }` (or plain
 * strings; an `id` is ignored), or an object with such a `rules` list, in
 * JSON or YAML. Every rule and every problem carries its line and column.
 * JSON is read strictly (no comments, no trailing commas) by
 * `@birdstream/rules`' `safeParseRulesDocument`; YAML by `yaml`, then the
 * same rules reader.
 */
export function parseRulesText(text: string, format: RulesFileFormat): ParsedRulesText {
  if (format === 'json') return fileProblems(safeParseRulesDocument(text));
  // A byte-order mark is not part of the content (columns on line 1 count without it).
  return parseYamlRules(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
}
