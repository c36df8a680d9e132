import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { JsonSyntaxError, parseLocatedJson } from '../../src/document/located-json.js';
import type { LocatedNode } from '../../src/document/located-node.js';

/** What `JSON.parse` would give for the tree. */
function plain(node: LocatedNode): unknown {
  switch (node.kind) {
    case 'object':
      return Object.fromEntries(node.entries.map((e) => [e.key, plain(e.value)]));
    case 'array':
      return node.items.map(plain);
    case 'null':
      return null;
    case 'other':
      throw new Error('JSON has no other values');
    default:
      return node.value;
  }
}

function syntaxError(text: string): JsonSyntaxError {
  try {
    parseLocatedJson(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be invalid`);
}

describe('parseLocatedJson', () => {
  test.each([
    ['[1, 2,]', 'trailing comma: JSON does not allow a comma before ]', 6],
    ['{"a": 1,}', 'trailing comma: JSON does not allow a comma before }', 8],
    ["{'a': 1}", 'unexpected \' (JSON strings use double quotes): a "quoted" key was expected', 1],
    ["[\"it's\", 'x']", "unexpected ' (JSON strings use double quotes): a value was expected", 9],
    ['{"a" 1}', "unexpected '1': expected ':' after the key", 5],
    ['[1 2]', "unexpected '2': expected ',' or ']' after a value in a list", 3],
    ['"abc', 'unterminated string', 0],
    ['["a\nb"]', 'unterminated string (a line break must be written \\n)', 3],
    ['["a\tb"]', 'control character in a string', 3],
    ['["a\\x"]', 'invalid escape \\x', 3],
    ['["\\u00g1"]', 'invalid \\u escape: four hex digits expected', 2],
    ['[1] [2]', 'unexpected content after the end of the JSON value', 4],
    ['', 'unexpected end of file: a value was expected', 0],
    ['{"a": 1', "unexpected end of file: expected ',' or '}' after a value in an object", 7],
    ['{"a": 1,', 'unexpected end of file inside an object', 8],
    ['// comment\n[]', "unexpected '/': a value was expected", 0],
    ['[-]', 'invalid number', 1],
    [
      '{"value": "a", "value": "b"}',
      'duplicate key "value": a key may appear only once in an object',
      15,
    ],
  ])('%j: %s, at offset %i', (text, detail, offset) => {
    const error = syntaxError(text);
    expect(error.detail).toBe(detail);
    expect(error.message).toBe(`Invalid JSON: ${detail}.`);
    expect(error.offset).toBe(offset);
  });

  test('refuses deep nesting with a syntax error rather than a stack overflow', () => {
    expect(syntaxError('['.repeat(100_000)).detail).toBe('the JSON is nested too deeply');
    expect(() => parseLocatedJson(`${'['.repeat(500)}${']'.repeat(500)}`)).not.toThrow();
  });

  test('skips a byte order mark, and records where each value and key starts', () => {
    const text = '\uFEFF{ "rules": [ "a", {"b": null} ] }';
    const root = parseLocatedJson(text);
    expect(root).toMatchObject({
      kind: 'object',
      offset: 1,
      entries: [
        {
          key: 'rules',
          keyOffset: 3,
          value: {
            kind: 'array',
            offset: 12,
            items: [
              { kind: 'string', offset: 14, value: 'a' },
              { kind: 'object', offset: 19, entries: [{ key: 'b', keyOffset: 20 }] },
            ],
          },
        },
      ],
    });
  });

  test("maps each unit of a string's value to where it is written, through escapes", () => {
    const text = String.raw`"a\"\u00e9\ud83d\ude03b"`;
    const node = parseLocatedJson(text);
    expect(node).toEqual({
      kind: 'string',
      offset: 0,
      value: 'a"é😃b',
      units: [1, 2, 4, 10, 16, 22],
    });
    // Without escapes, the units are implied (unit k at offset + 1 + k).
    expect(parseLocatedJson('"abc"')).toEqual({ kind: 'string', offset: 0, value: 'abc' });
  });

  test('reads what JSON.parse reads, to the same values', () => {
    fc.assert(
      fc.property(fc.json(), fc.boolean(), (json, pretty) => {
        const text = pretty ? JSON.stringify(JSON.parse(json), null, 2) : json;
        expect(plain(parseLocatedJson(text))).toEqual(JSON.parse(text));
      }),
    );
  });

  test('accepts and refuses what JSON.parse does, except repeated keys', () => {
    const piece = fc.constantFrom(
      ...['{', '}', '[', ']', '"', '"a"', ':', ',', ' ', '\n', '1', '0', '-', '.', 'e', '+'],
      ...['true', 'null', 'fals', '\\', '\\u00e9', '\\x', "'", '\t', '01', '1.5e3'],
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = pieces.join('');
        let parsed = true;
        try {
          JSON.parse(text);
        } catch {
          parsed = false;
        }
        let ours = true;
        try {
          parseLocatedJson(text);
        } catch (error) {
          if (!(error instanceof JsonSyntaxError)) throw error;
          if (error.detail.startsWith('duplicate key')) return;
          ours = false;
        }
        expect(ours, text).toBe(parsed);
      }),
      { numRuns: 2000 },
    );
  });
});
