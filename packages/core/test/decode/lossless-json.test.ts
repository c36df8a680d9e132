import { readFixtureText } from '@birdstream/test-utils';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { mayHaveBigInteger, parseJsonLossless, quoteBigIntegers } from '../../src/decode/index.js';

const ID = '1377650081780703234'; // > 2^53: JSON.parse would give 1377650081780703200

describe('parseJsonLossless', () => {
  test('keeps a 19-digit id sent as a JSON number exact, as a string', () => {
    expect(String(JSON.parse(`{"id":${ID}}`).id)).not.toBe(ID);
    expect(parseJsonLossless(`{"id":${ID}}`)).toEqual({ id: ID });
  });

  test('handles the ids of the real 2021 recording (matching_rules[].id as a number)', () => {
    const text = readFixtureText('stream/twarc-csv/msg_00_tweet_1377650090978992134.json');
    expect(text).toMatch(/"matching_rules": \[\{"id": \d{19}, "tag": null\}\]/);
    const digits = /"matching_rules": \[\{"id": (\d{19})/.exec(text)?.[1];
    const parsed = parseJsonLossless(text) as { matching_rules: { id: unknown }[] };
    expect(parsed.matching_rules[0]?.id).toBe(digits);
  });

  test('quotes ids in arrays, at every nesting level, with any whitespace around them', () => {
    const text = `{"a":[${ID},${ID}],"b":{"c":[ {"d": \t${ID}\n} ]},"e":${ID}}`;
    expect(parseJsonLossless(text)).toEqual({ a: [ID, ID], b: { c: [{ d: ID }] }, e: ID });
  });

  test('never touches digits inside strings, including after escaped quotes and backslashes', () => {
    const cases = [
      `{"text":"call ${ID}, now","id":${ID}}`,
      `{"text":"say \\"${ID}\\", ok","id":${ID}}`,
      `{"text":"ends with a backslash \\\\","id":${ID}}`,
      `{"text":"\\\\\\"${ID}, \\\\","id":${ID}}`,
      `{"url":"https://x.com/i/status/${ID}/photo/1","id":${ID}}`,
      `{"${ID}":${ID}}`,
    ];
    for (const text of cases) {
      const expected = JSON.parse(text.replace(new RegExp(`:${ID}`), `:"${ID}"`));
      expect(parseJsonLossless(text)).toEqual(expected);
    }
  });

  test('leaves short, negative, fractional and exponent numbers alone', () => {
    const text =
      '{"n":42,"s":900719925474099,"neg":-1377650081780703234,"f":1377650081780703234.5,"e":1377650081780703234e2,"p":0.1234567890123456789}';
    expect(parseJsonLossless(text)).toEqual(JSON.parse(text));
  });

  test('throws SyntaxError for invalid JSON, like JSON.parse', () => {
    expect(() => parseJsonLossless(`{"id":${ID},}`)).toThrow(SyntaxError);
    expect(() => parseJsonLossless('{"a":"unterminated')).toThrow(SyntaxError);
    expect(() => parseJsonLossless('')).toThrow(SyntaxError);
  });
});

describe('mayHaveBigInteger (the pre-test)', () => {
  test('is false for ordinary messages with ids as strings, true when an id is a number', () => {
    const text = readFixtureText('stream/twarc-csv/msg_02_tweet_1377650277642338305.json');
    const withStringIds = text.replace(/"id": (\d{19})/g, '"id": "$1"');
    expect(mayHaveBigInteger(withStringIds)).toBe(false);
    expect(mayHaveBigInteger(text)).toBe(true);
    expect(mayHaveBigInteger(`{"a":${ID}}`)).toBe(true);
    expect(mayHaveBigInteger(`[${ID}]`)).toBe(true);
    expect(mayHaveBigInteger(`{"a":${ID}\n}`)).toBe(true);
  });

  test('a false alarm (such digits in a string) leaves the text unchanged', () => {
    const text = `{"text":"${ID}, see"}`;
    expect(mayHaveBigInteger(text)).toBe(true);
    expect(quoteBigIntegers(text)).toBe(text);
  });
});

describe('quoteBigIntegers', () => {
  test('returns the same string when nothing needs quoting', () => {
    const text = '{"a":"1377650081780703234","b":12}';
    expect(quoteBigIntegers(text)).toBe(text);
  });

  test('quotes exactly the big integers, keeping everything else byte for byte', () => {
    expect(quoteBigIntegers(`[${ID}, -${ID}, 1, "${ID}"]`)).toBe(`["${ID}", -${ID}, 1, "${ID}"]`);
    expect(quoteBigIntegers('{"a":1234567890123456}')).toBe('{"a":"1234567890123456"}');
    expect(quoteBigIntegers('{"a":123456789012345}')).toBe('{"a":123456789012345}');
  });
});

/**
 * The model of the result: what JSON.parse gives, except that a non-negative
 * integer written with 16+ digits comes out as its exact digits.
 */
function expected(input: unknown): unknown {
  if (Array.isArray(input)) return input.map(expected);
  if (input !== null && typeof input === 'object') {
    const big = (input as { big?: unknown }).big;
    if (typeof big === 'bigint') {
      const digits = String(big);
      return digits.length >= 16 ? digits : Number(digits);
    }
    return Object.fromEntries(Object.entries(input).map(([k, v]) => [k, expected(v)]));
  }
  if (typeof input === 'number') {
    const written = JSON.stringify(input);
    return /^[0-9]{16,}$/.test(written) ? written : JSON.parse(written);
  }
  return input;
}

describe('parseJsonLossless, for any JSON', () => {
  /** Strings built to look like big numbers in value position: digits, quotes, backslashes, separators. */
  const trap = fc
    .array(
      fc.oneof(
        fc.constantFrom('"', '\\', '\\"', ',', ':', '[', ']', '}', ' ', '\n', '-', '.', 'e'),
        fc.bigInt({ min: 0n, max: 10n ** 22n }).map(String),
        fc.string({ unit: 'grapheme', maxLength: 3 }),
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.join(''));
  const bigInteger = fc.bigInt({ min: 0n, max: 10n ** 20n }).map((n) => ({ big: n }));
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      trap,
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer(),
      bigInteger,
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 5 }),
      fc.dictionary(trap, tie('value'), { maxKeys: 5 }),
    ),
  }));

  /** Serialises with big integers written as raw JSON numbers (as X did with rule ids). */
  function toJson(input: unknown, space: number | undefined): string {
    const marks: string[] = [];
    const json = JSON.stringify(
      input,
      (_key, v) => {
        if (v && typeof v === 'object' && 'big' in v && typeof v.big === 'bigint') {
          marks.push(String(v.big));
          return `\u0000big${marks.length - 1}\u0000`;
        }
        return v;
      },
      space,
    );
    return json.replace(/"\\u0000big(\d+)\\u0000"/g, (_m, i: string) => marks[Number(i)] as string);
  }

  test('equals the model: big integers exact as strings, nothing else changed', () => {
    fc.assert(
      fc.property(value, fc.constantFrom(undefined, 1, 2), (input, space) => {
        const text = toJson(input, space);
        expect(parseJsonLossless(text)).toEqual(expected(input));
      }),
      { numRuns: 500 },
    );
  });
});
