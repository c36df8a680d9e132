import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  isRulesDocumentError,
  loadRules,
  parseRulesDocument,
  type RulesDocumentError,
  validateRules,
} from '../../src/index.js';

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
      { message: "Expected a key in double quotes, found '}'", line: 3, column: 17, path: [] },
    ]);
    expect(error.file).toBe('rules.json');
    expect(error.message).toMatch(/^rules\.json is not a valid rules document \(1 problem\)/);
    expect(error.message).toContain('line 3, column 17');
  });

  test.each([
    ['[{"value": "a"', "Expected ',' or '}' in an object, found the end of the text"],
    ['[{"value": "a}]', 'Unterminated string: a closing quote is missing'],
    ['[] []', "Unexpected '[' after the end of the JSON value"],
    ['', 'Expected a JSON value, found the end of the text'],
    ['[01]', "Expected ',' or ']' in an array, found '1'"],
  ])('%j is reported as %j', (text, message) => {
    expect(documentError(text).issues[0]?.message).toBe(message);
  });

  test('every shape problem is reported, each at its rule', () => {
    const error = documentError(`[
  {"value": "ok"},
  {"value": 42},
  {"tga": "typo", "value": "b"},
  {"tag": "no value"},
  "just a string"
]`);
    expect(error.issues.map((i) => [i.index, i.line, i.path])).toEqual([
      [1, 3, [1, 'value']],
      [2, 4, [2, 'tga']],
      [3, 5, [3, 'value']],
      [4, 6, [4]],
    ]);
    expect(error.issues[1]?.message).toBe(
      'rule 3 has unknown key "tga": a rule has only "value" and "tag"',
    );
    expect(error.issues[2]?.message).toBe('rule 4 needs a "value" (the rule text)');
  });

  test.each([
    ['{"rule": []}', /Unknown key "rule": the document object has only "rules"/],
    ['{"rules": {"value": "a"}}', /"rules" must be an array of rules/],
    ['"cat"', /A rules document is an array of rules or an object with a "rules" array/],
  ])('the wrong top-level shape %j is explained', (text, message) => {
    expect(documentError(text).issues[0]?.message).toMatch(message);
  });
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
