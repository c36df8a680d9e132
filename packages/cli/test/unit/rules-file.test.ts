import { describe, expect, it } from 'vitest';
import { parseRulesText } from '../../src/rules-file/parse-rules-text.js';

/** The 1-based line and column of the first occurrence of `needle` in `text`. */
function positionOf(text: string, needle: string, nth = 0): { line: number; column: number } {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  if (at === -1) throw new Error(`${needle} not in text`);
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return { line, column: at - before.lastIndexOf('\n') };
}

describe('parseRulesText (JSON)', () => {
  it('reads a list of rules with the position of each value', () => {
    const text = '[\n  { "value": "cats has:images", "tag": "cats" },\n  { "value": "dogs" }\n]\n';
    const { rules, problems, entries } = parseRulesText(text, 'json');
    expect(problems).toEqual([]);
    expect(entries).toBe(2);
    expect(rules.map((r) => [r.value, r.tag, r.locate()])).toEqual([
      ['cats has:images', 'cats', positionOf(text, 'cats has')],
      ['dogs', undefined, positionOf(text, 'dogs')],
    ]);
  });

  it('accepts { "rules": [...] }, plain strings, a null tag and the id that `rules list --json` writes', () => {
    const text = '{"rules": ["cats", {"id": "1273636687768285186", "value": "dogs", "tag": null}]}';
    const { rules, problems } = parseRulesText(text, 'json');
    expect(problems).toEqual([]);
    expect(rules.map((r) => ({ value: r.value, tag: r.tag }))).toEqual([
      { value: 'cats', tag: undefined },
      { value: 'dogs', tag: undefined },
    ]);
  });

  it('maps "at position N" to the column of that character, through escapes', () => {
    const text = '[{"value": "caf\\u00e9 \\"x\\" (dogs"}]';
    const [rule] = parseRulesText(text, 'json').rules;
    expect(rule?.value).toBe('café "x" (dogs');
    // position 10 is the "(" (1-based): c a f é ␠ " x " ␠ (
    expect(rule?.value[9]).toBe('(');
    expect(rule?.locate(10)).toEqual(positionOf(text, '(dogs'));
    expect(rule?.locate(5)).toEqual(positionOf(text, ' \\"x'));
    expect(rule?.locate(undefined)).toEqual(positionOf(text, 'caf'));
  });

  it('reports a syntax error at its line and column, and no rules', () => {
    const text = '[\n  {"value": "a"},\n  {"value": "b",}\n]\n';
    const { rules, problems } = parseRulesText(text, 'json');
    expect(rules).toEqual([]);
    expect(problems).toEqual([
      expect.objectContaining({ severity: 'error', code: 'syntax', line: 3, column: 17 }),
    ]);
    expect(problems[0]?.message).toMatch(/^Invalid JSON: trailing comma/);
  });

  it('reports shape and key problems at the entry, and keeps the valid rules', () => {
    const text = [
      '[',
      '  {"value": "ok"},',
      '  {"vaule": "typo"},',
      '  {"value": 42},',
      '  {"value": "   "},',
      '  {"value": "x", "tag": 7},',
      '  17,',
      '  {"value": "a", "value": "b"}',
      ']',
    ].join('\n');
    const { rules, problems } = parseRulesText(text, 'json');
    // a duplicate key is a syntax error of the whole file
    expect(problems.map((p) => [p.code, p.line])).toEqual([['syntax', 8]]);
    expect(rules).toEqual([]);

    const { rules: kept, problems: found } = parseRulesText(
      text.replace(', "value": "b"', ''),
      'json',
    );
    expect(kept.map((r) => r.value)).toEqual(['ok', 'a']);
    expect(found.map((p) => [p.code, p.line, p.ruleIndex])).toEqual([
      ['unknown-key', 3, 1],
      ['missing-value', 3, 1],
      ['not-a-string', 4, 2],
      ['empty-value', 5, 3],
      ['not-a-string', 6, 4],
      ['shape', 7, 5],
    ]);
  });

  it('rejects a file that is not a list of rules', () => {
    expect(parseRulesText('{"rule": []}', 'json').problems[0]?.code).toBe('shape');
    expect(parseRulesText('"cats"', 'json').problems[0]?.code).toBe('shape');
    expect(parseRulesText('{"rules": {"value": "x"}}', 'json').problems[0]?.code).toBe('shape');
  });
});

describe('parseRulesText (YAML)', () => {
  it('reads rules with comments, quoting styles and positions', () => {
    const text = [
      '# rules for the pets study',
      'rules:',
      '  - value: cats has:images   # photos only',
      '    tag: cats',
      "  - value: 'it''s (raining'",
      '  - "#dogs lang:en"',
    ].join('\n');
    const { rules, problems } = parseRulesText(text, 'yaml');
    expect(problems).toEqual([]);
    expect(rules.map((r) => [r.value, r.tag, r.locate()])).toEqual([
      ['cats has:images', 'cats', { line: 3, column: 12 }],
      ["it's (raining", undefined, { line: 5, column: 13 }],
      ['#dogs lang:en', undefined, { line: 6, column: 6 }],
    ]);
    // the "(" is the 6th character of it's (raining; in the source '' is two characters
    expect(rules[1]?.locate(6)).toEqual(positionOf(text, '(raining'));
  });

  it('warns when a hashtag became a YAML comment, and says how to quote it', () => {
    const text = 'rules:\n  - value: cats #dogs\n  - value: #birds\n';
    const { rules, problems } = parseRulesText(text, 'yaml');
    expect(rules.map((r) => r.value)).toEqual(['cats']);
    expect(problems).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'yaml-comment', line: 2 }),
      expect.objectContaining({ severity: 'error', code: 'missing-value', line: 3 }),
    ]);
    expect(problems[0]?.message).toContain('"#dogs"');
    expect(problems[1]?.message).toContain('quote a rule that begins with a hashtag');
  });

  it('reports YAML syntax errors with their line', () => {
    const { problems } = parseRulesText('rules:\n  - value: cats: dogs\n', 'yaml');
    expect(problems).toEqual([expect.objectContaining({ code: 'syntax', line: 2 })]);
    expect(problems[0]?.message).toMatch(/^Invalid YAML: /);
  });

  it('treats an empty file as having no rules list', () => {
    expect(parseRulesText('', 'yaml').problems[0]?.message).toContain('empty');
  });
});

describe('parseRulesText: one reader for both formats', () => {
  const JSON_TEXT = [
    '{"rules": [',
    '  {"value": "cats (has:images", "tga": "pets"},',
    '  {"value": 42},',
    '  {"id": "1", "value": "dogs", "tag": null}',
    ']}',
  ].join('\n');
  const YAML_TEXT = [
    'rules:',
    '  - value: cats (has:images',
    '    tga: pets',
    '  - value: 42',
    '  - id: "1"',
    '    value: dogs',
    '    tag: null',
  ].join('\n');

  it('gives the same rules and the same problems, each at its place in its file', () => {
    const json = parseRulesText(JSON_TEXT, 'json');
    const yaml = parseRulesText(YAML_TEXT, 'yaml');
    for (const parsed of [json, yaml]) {
      expect(parsed.entries).toBe(3);
      expect(parsed.rules.map((r) => [r.index, r.value, r.tag])).toEqual([[2, 'dogs', undefined]]);
      expect(parsed.problems.map((p) => [p.code, p.ruleIndex, p.message])).toEqual([
        [
          'unknown-key',
          0,
          'Rule 1 has an unknown key "tga" (did you mean "tag"?): a rule has only "value", an optional "tag" and an ignored "id".',
        ],
        [
          'not-a-string',
          1,
          'Rule 2: "value" must be a string (the rule\'s text), not a number (42).',
        ],
      ]);
    }
    expect(json.problems.map(({ line, column }) => ({ line, column }))).toEqual([
      positionOf(JSON_TEXT, '"tga"'),
      positionOf(JSON_TEXT, '42'),
    ]);
    expect(yaml.problems.map(({ line, column }) => ({ line, column }))).toEqual([
      positionOf(YAML_TEXT, 'tga'),
      positionOf(YAML_TEXT, '42'),
    ]);
  });

  it("places a YAML value's characters through its escapes, like JSON's", () => {
    const yaml = '- "caf\\u00e9 \\"x\\" (dogs"\n';
    const json = '["caf\\u00e9 \\"x\\" (dogs"]';
    const [fromYaml] = parseRulesText(yaml, 'yaml').rules;
    const [fromJson] = parseRulesText(json, 'json').rules;
    expect(fromYaml?.value).toBe(fromJson?.value);
    expect(fromYaml?.locate(10)).toEqual(positionOf(yaml, '(dogs'));
    expect(fromJson?.locate(10)).toEqual(positionOf(json, '(dogs'));
  });

  it('points the YAML comment warning at the #, and ignores a comment on its own line', () => {
    const text = 'rules:\n  - value: cats   #dogs\n  - value: birds\n    # sparrows only\n';
    const { problems } = parseRulesText(text, 'yaml');
    expect(problems).toEqual([
      expect.objectContaining({ code: 'yaml-comment', ruleIndex: 0, ...positionOf(text, '#dogs') }),
    ]);
  });

  it('does not count a byte order mark as a column, in either format', () => {
    const json = parseRulesText('\uFEFF["cats (dogs"]', 'json').rules[0];
    const yaml = parseRulesText('\uFEFF- cats (dogs', 'yaml').rules[0];
    expect(json?.locate(6)).toEqual({ line: 1, column: 8 });
    expect(yaml?.locate(6)).toEqual({ line: 1, column: 8 });
  });
});
