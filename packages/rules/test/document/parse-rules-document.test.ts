import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  isRulesDocumentError,
  loadRules,
  parseRulesDocument,
  RulesDocumentEntry,
  type RulesDocumentError,
  safeParseRulesDocument,
  validateRules,
} from '../../src/index.js';

/** The 1-based line and column where `needle` starts in `text`. */
function positionOf(text: string, needle: string): { line: number; column: number } {
  const at = text.indexOf(needle);
  if (at === -1) throw new Error(`${needle} is not in the text`);
  const before = text.slice(0, at);
  return { line: before.split('\n').length, column: at - before.lastIndexOf('\n') };
}

function documentError(text: string, file?: string): RulesDocumentError {
  try {
    parseRulesDocument(text, file ? { file } : {});
  } catch (error) {
    if (isRulesDocumentError(error)) return error;
    throw error;
  }
  throw new Error('expected a RulesDocumentError');
}

const ARRAY_DOC = `[
  { "value": "cat has:images", "tag": "cats" },
  {
    "tag": "music",
    "value": "#nowplaying lang:en"
  },
  {"value": "from:XDevelopers"}
]
`;

describe('parseRulesDocument', () => {
  test('an array: each rule with the line and column of its { and of its value', () => {
    expect(parseRulesDocument(ARRAY_DOC).rules).toEqual([
      {
        value: 'cat has:images',
        tag: 'cats',
        index: 0,
        line: 2,
        column: 3,
        valueLine: 2,
        valueColumn: 14,
      },
      {
        value: '#nowplaying lang:en',
        tag: 'music',
        index: 1,
        line: 3,
        column: 3,
        valueLine: 5,
        valueColumn: 14,
      },
      { value: 'from:XDevelopers', index: 2, line: 7, column: 3, valueLine: 7, valueColumn: 13 },
    ]);
  });

  test('an object with "rules", CRLF line ends, a BOM and a null tag', () => {
    const text =
      '\uFEFF{\r\n  "rules": [\r\n    {"value": "a"},\r\n    {"value": "b", "tag": null}\r\n  ]\r\n}\r\n';
    expect(parseRulesDocument(text).rules).toEqual([
      expect.objectContaining({ value: 'a', line: 3, index: 0 }),
      { value: 'b', index: 1, line: 4, column: 5, valueLine: 4, valueColumn: 15 },
    ]);
  });

  test('escapes in values are decoded, as JSON.parse would', () => {
    const { rules } = parseRulesDocument(
      String.raw`[{"value": "\"exact phrase\" caf\u00e9 \ud83d\ude03"}]`,
    );
    expect(rules[0]?.value).toBe('"exact phrase" café 😃');
  });

  test('feeds validateRules, whose problem index finds the line for a CI annotation', () => {
    const { rules } = parseRulesDocument('[\n {"value": "cat"},\n {"value": "has:media"}\n]');
    const report = validateRules(rules);
    const annotations = report.problems.map(
      (p) => `::error file=rules.json,line=${rules[p.index!]!.line}::${p.message}`,
    );
    expect(annotations).toEqual([
      expect.stringMatching(
        /^::error file=rules\.json,line=3::The rule has no standalone operator/,
      ),
    ]);
  });

  test('invalid JSON: one issue at the line and column of the mistake', () => {
    const error = documentError('[\n  {"value": "a"},\n  {"value": "b",}\n]', 'rules.json');
    expect(error.issues).toEqual([
      {
        code: 'syntax',
        message: 'Invalid JSON: trailing comma: JSON does not allow a comma before }.',
        line: 3,
        column: 17,
        path: [],
      },
    ]);
    expect(error.file).toBe('rules.json');
    expect(error.message).toMatch(/^rules\.json is not a valid rules document \(1 problem\)/);
    expect(error.message).toContain('line 3, column 17');
  });

  test.each([
    [
      '[{"value": "a"',
      "Invalid JSON: unexpected end of file: expected ',' or '}' after a value in an object.",
    ],
    ['[{"value": "a}]', 'Invalid JSON: unterminated string.'],
    ['[] []', 'Invalid JSON: unexpected content after the end of the JSON value.'],
    ['', 'Invalid JSON: unexpected end of file: a value was expected.'],
    ['[01]', "Invalid JSON: unexpected '1': expected ',' or ']' after a value in a list."],
  ])('%j is reported as %j', (text, message) => {
    expect(documentError(text).issues[0]?.message).toBe(message);
  });

  test('every shape problem is reported, each at its rule', () => {
    const error = documentError(`[
  {"value": "ok"},
  {"value": 42},
  {"tga": "typo", "value": "b"},
  {"tag": "no value"},
  17
]`);
    expect(error.issues.map((i) => [i.index, i.line, i.path])).toEqual([
      [1, 3, [1, 'value']],
      [2, 4, [2, 'tga']],
      [3, 5, [3, 'value']],
      [4, 6, [4]],
    ]);
    // The issues carry their code (typed on safeParseRulesDocument's result).
    expect(error.issues.map((i) => i.code)).toEqual([
      'not-a-string',
      'unknown-key',
      'missing-value',
      'shape',
    ]);
    expect(error.issues[1]?.message).toBe(
      'Rule 3 has an unknown key "tga" (did you mean "tag"?): a rule has only "value", an optional "tag" and an ignored "id".',
    );
    expect(error.issues[2]?.message).toBe(
      'Rule 4 has no "value": add the rule\'s text as "value".',
    );
  });

  test.each([
    ['{"rule": []}', /Unknown key "rule": the document object has only "rules"/],
    ['{"rules": {"value": "a"}}', /"rules" must be an array of rules/],
    ['"cat"', /A rules document is an array of rules or an object with a "rules" array/],
  ])('the wrong top-level shape %j is explained', (text, message) => {
    expect(documentError(text).issues[0]?.message).toMatch(message);
  });
});

describe('safeParseRulesDocument', () => {
  test('reports every problem with its code and keeps the rules without one', () => {
    const text = `{ "rules": [
  "cat has:images",
  { "value": "dog", "Tag": "pets" },
  { "value": false },
  { "value": "" },
  { "tag": ["a"], "value": "bird" },
  null,
  { "value": "fish", "id": 7 }
] }`;
    const { rules, issues, entries } = safeParseRulesDocument(text);
    expect(entries).toBe(7);
    expect(rules.map((r) => [r.value, r.index])).toEqual([
      ['cat has:images', 0],
      ['fish', 6],
    ]);
    expect(issues.map((i) => [i.code, i.line, i.column, i.index, i.path])).toEqual([
      ['unknown-key', 3, 21, 1, ['rules', 1, 'Tag']],
      ['not-a-string', 4, 14, 2, ['rules', 2, 'value']],
      ['empty-value', 5, 14, 3, ['rules', 3, 'value']],
      ['not-a-string', 6, 12, 4, ['rules', 4, 'tag']],
      ['shape', 7, 3, 5, ['rules', 5]],
    ]);
    expect(issues.map((i) => i.message)).toEqual([
      'Rule 2 has an unknown key "Tag" (did you mean "tag"?): a rule has only "value", an optional "tag" and an ignored "id".',
      'Rule 3: "value" must be a string (the rule\'s text), not false.',
      'Rule 4 has an empty "value": give the rule\'s text, such as "cat has:images".',
      'Rule 5: "tag" must be a string (or null for no tag), not a list.',
      'Rule 6 must be an object with a "value" (and an optional "tag") or a string, not null.',
    ]);
  });

  test('an entry with a bad key keeps its value for validation, so all problems come in one run', () => {
    const text = `[
  { "value": "cat has:images" },
  { "value": "(dog has:media", "tga": "dogs" },
  { "tag": 5, "value": "has:media" }
]`;
    const { rules, issues, flaggedRules } = safeParseRulesDocument(text);
    expect(rules.map((r) => r.index)).toEqual([0]);
    expect(issues.map((i) => [i.code, i.index])).toEqual([
      ['unknown-key', 1],
      ['not-a-string', 2],
    ]);
    expect(flaggedRules.map((r) => [r.value, r.index])).toEqual([
      ['(dog has:media', 1],
      ['has:media', 2],
    ]);
    // Their values are validated in the same run, at their place in the file.
    const checked = [...rules, ...flaggedRules];
    const report = validateRules(checked);
    expect(report.problems.map((p) => [p.code, checked[p.index ?? -1]?.index])).toEqual([
      ['unbalanced-parentheses', 1],
      ['no-standalone-operator', 2],
    ]);
    expect(flaggedRules[0]?.locate(1)).toEqual({ line: 3, column: 15 });
  });

  test('reads the output of `birdstream rules list --json`: ids are ignored, bare strings are rules', () => {
    const text = [
      '{',
      '  "rules": [',
      '    "cats",',
      '    { "id": "1273636687768285186", "value": "dogs", "tag": null }',
      '  ]',
      '}',
    ].join('\n');
    const { rules, issues } = safeParseRulesDocument(text);
    expect(issues).toEqual([]);
    expect(rules.map((r) => ({ ...r }))).toEqual([
      { value: 'cats', index: 0, line: 3, column: 5, valueLine: 3, valueColumn: 5 },
      { value: 'dogs', index: 1, line: 4, column: 5, valueLine: 4, valueColumn: 45 },
    ]);
  });

  test('invalid JSON is one syntax issue and no rules', () => {
    expect(safeParseRulesDocument('[{"value": "a"},\n {"value": "b"')).toEqual({
      rules: [],
      issues: [
        {
          code: 'syntax',
          message:
            "Invalid JSON: unexpected end of file: expected ',' or '}' after a value in an object.",
          line: 2,
          column: 15,
          path: [],
        },
      ],
      flaggedRules: [],
      entries: 0,
    });
  });

  test('a repeated key is a syntax error: the file means one of the two values', () => {
    const { issues } = safeParseRulesDocument('[\n  {"value": "a", "value": "b"}\n]');
    expect(issues).toEqual([expect.objectContaining({ code: 'syntax', line: 2, column: 18 })]);
    expect(issues[0]?.message).toContain('duplicate key "value"');
  });

  test('an unknown key next to "rules" is reported, and the rules are still checked', () => {
    const { issues } = safeParseRulesDocument('{"Rules": [], "rules": [{"value": 1}]}');
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ['shape', ['Rules']],
      ['not-a-string', ['rules', 0, 'value']],
    ]);
  });
});

test('the README example: report the file and check every rule in the same run, at the exact character', () => {
  const text =
    '[\n  {"value": "cat (has:images", "tga": "pets"},\n  {"value": "dog (has:images"}\n]';
  const { rules, issues, flaggedRules } = safeParseRulesDocument(text);
  expect(issues).toEqual([
    {
      code: 'unknown-key',
      line: 2,
      column: 32,
      index: 0,
      path: [0, 'tga'],
      message: expect.stringMatching(/^Rule 1 has an unknown key "tga" \(did you mean "tag"\?\): /),
    },
  ]);
  expect(rules.map((r) => r.index)).toEqual([1]);
  expect(flaggedRules.map((r) => r.index)).toEqual([0]);
  const checked = [...flaggedRules, ...rules].sort((a, b) => a.index - b.index);
  const out: string[] = [];
  for (const p of validateRules(checked).problems) {
    const rule = checked[p.index!]!;
    const { line, column } = rule.locate(p.position);
    out.push(
      `::error file=rules.json,line=${line},col=${column}::Rule ${rule.index + 1}: ${p.message}`,
    );
  }
  expect(out).toEqual([
    "::error file=rules.json,line=2,col=18::Rule 1: Unbalanced parentheses: this '(' is never closed; add a ')' (at position 5)",
    "::error file=rules.json,line=3,col=18::Rule 2: Unbalanced parentheses: this '(' is never closed; add a ')' (at position 5)",
  ]);
});

describe('LocatedRule.locate', () => {
  test('maps "at position N" to the column of that character, through escapes', () => {
    const text = '[{"value": "caf\\u00e9 \\"x\\" (dogs"}]';
    const [rule] = parseRulesDocument(text).rules;
    expect(rule?.value).toBe('café "x" (dogs');
    // position 10 is the "(" (1-based): c a f é ␠ " x " ␠ (
    expect(rule?.value[9]).toBe('(');
    expect(rule?.locate(10)).toEqual(positionOf(text, '(dogs'));
    expect(rule?.locate(5)).toEqual(positionOf(text, ' \\"x'));
    expect(rule?.locate(4)).toEqual(positionOf(text, '\\u00e9'));
  });

  test('without a position, or past the value, it is the first character of the value', () => {
    const text = '[\n  {\n    "tag": "t",\n    "value": "cat has:images"\n  }\n]';
    const [rule] = parseRulesDocument(text).rules;
    const first = positionOf(text, 'cat has');
    expect(rule?.locate()).toEqual(first);
    expect(rule?.locate(0)).toEqual(first);
    expect(rule?.locate(99)).toEqual(first);
    expect(rule?.locate(5)).toEqual(positionOf(text, 'has:images'));
    expect([rule?.line, rule?.valueLine, rule?.valueColumn]).toEqual([2, 4, first.column - 1]);
  });

  test('feeds validateRules: each problem lands on its exact character', () => {
    const text = '[\n  {"value": "cat"},\n  {"value": "dog (has:media"}\n]';
    const { rules } = parseRulesDocument(text);
    const report = validateRules(rules);
    const where = report.problems.map((p) => rules[p.index!]!.locate(p.position));
    expect(where).toEqual([positionOf(text, '(has')]);
  });

  test('a byte order mark is not a column on the first line', () => {
    const text = '\uFEFF["cat (dogs"]';
    const [rule] = parseRulesDocument(text).rules;
    expect(rule?.locate(5)).toEqual({ line: 1, column: 7 });
    expect([rule?.line, rule?.column]).toEqual([1, 2]);
  });

  test('a rule is plain data for JSON.stringify and spreading', () => {
    const [rule] = parseRulesDocument('[{"value": "cat", "tag": "pets"}]').rules;
    const data = {
      value: 'cat',
      tag: 'pets',
      index: 0,
      line: 1,
      column: 2,
      valueLine: 1,
      valueColumn: 12,
    };
    expect(JSON.parse(JSON.stringify(rule))).toEqual(data);
    expect({ ...rule }).toEqual(data);
    expect(Object.keys(rule!)).not.toContain('locate');
  });
});

test('RulesDocumentEntry accepts exactly the object entries the parser reads', () => {
  const entries = [
    { value: 'cat' },
    { value: 'cat', tag: 'pets' },
    { value: 'cat', tag: null },
    { value: 'cat', id: '1273636687768285186' },
    { value: '  ' },
    { value: 1 },
    { value: 'cat', tag: 1 },
    { value: 'cat', tga: 'pets' },
    { tag: 'pets' },
    { value: null },
  ];
  for (const entry of entries) {
    const parsed = safeParseRulesDocument(JSON.stringify([entry]));
    expect(RulesDocumentEntry.safeParse(entry).success, JSON.stringify(entry)).toBe(
      parsed.issues.length === 0,
    );
  }
});

describe('loadRules', () => {
  test('reads a file and reports problems against its name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'birdstream-rules-'));
    try {
      const good = join(dir, 'rules.json');
      await writeFile(good, ARRAY_DOC);
      expect((await loadRules(good)).rules).toHaveLength(3);
      const bad = join(dir, 'bad.json');
      await writeFile(bad, '[{"value": 1}]');
      await expect(loadRules(bad)).rejects.toMatchObject({ name: 'RulesDocumentError', file: bad });
      await expect(loadRules(join(dir, 'missing.json'))).rejects.toMatchObject({
        name: 'ConfigError',
        message: expect.stringContaining('Cannot read the rules file'),
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
