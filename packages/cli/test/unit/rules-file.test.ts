import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError } from '../../src/rules-file/json-syntax.js';
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

describe('findJsonSyntaxError', () => {
  it.each([
    ['[1, 2]', undefined],
    ['{"a": [true, false, null, -1.5e3, "\\u00e9\\n"]}', undefined],
    ['[1, 2,]', 'trailing comma'],
    ['{"a": 1,}', 'trailing comma'],
    ["{'a': 1}", "' (JSON strings use double quotes)"],
    ['{"a" 1}', "expected ':'"],
    ['[1 2]', "expected ',' or ']'"],
    ['"abc', 'unterminated string'],
    ['["a\\x"]', 'invalid escape'],
    ['[1] [2]', 'unexpected content after the end'],
    ['', 'unexpected end of file'],
    ['// comment\n[]', "unexpected '/'"],
  ])('%j → %s', (text, expected) => {
    const error = findJsonSyntaxError(text);
    if (expected === undefined) expect(error).toBeUndefined();
    else expect(error?.message).toContain(expected);
  });

  it('points at the offending character', () => {
    const text = '[\n  {"value": "a"},\n  {"value": "b",}\n]';
    expect(findJsonSyntaxError(text)?.offset).toBe(text.indexOf('}\n]'));
  });

  it('agrees with JSON.parse on validity', () => {
    for (const text of [
      '{"a":{"b":[1,{"c":"d"}]}}',
      '[01]',
      '[1.]',
      '[-]',
      '[1e5]',
      '"\\ud83d"',
      '[tru]',
    ]) {
      let parsed = true;
      try {
        JSON.parse(text);
      } catch {
        parsed = false;
      }
      expect(findJsonSyntaxError(text) === undefined, text).toBe(parsed);
    }
  });
});

describe('parseRulesText (JSON)', () => {
  it('reads a list of rules with the position of each value', () => {
    const text = '[\n  { "value": "cats has:images", "tag": "cats" },\n  { "value": "dogs" }\n]\n';
    const { rules, problems, entries } = parseRulesText(text, 'json');
    expect(problems).toEqual([]);
    expect(entries).toBe(2);
    expect(rules.map((r) => [r.value, r.tag, r.line, r.column])).toEqual([
      ['cats has:images', 'cats', 2, positionOf(text, 'cats has').column],
      ['dogs', undefined, 3, positionOf(text, 'dogs').column],
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
    expect(rules.map((r) => [r.value, r.tag, r.line, r.column])).toEqual([
      ['cats has:images', 'cats', 3, 12],
      ["it's (raining", undefined, 5, 13],
      ['#dogs lang:en', undefined, 6, 6],
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
