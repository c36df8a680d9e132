import { arbitraryCuts, splitAt } from '@birdstream/test-utils';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createMessageParser, type Frame, LineDecoder } from '../../src/decode/index.js';
import { decodeAll, keepAlive, message, utf8 } from './helpers.js';

/** Characters that stress a UTF-8 / CRLF splitter, plus any code point. */
const tricky = fc.constantFrom(
  'a',
  'é',
  'ß',
  '日',
  '本',
  '🐦',
  '👩‍👩‍👧',
  '\n',
  '\r',
  '"',
  '\\',
  '\u2028',
  '\uFEFF',
  '{',
  '}',
);
const char = fc.oneof(tricky, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }));
/** Any line that can be framed: it cannot contain \r\n (an empty line is a keep-alive). */
const line = fc
  .array(char, { maxLength: 40 })
  .map((chars) => chars.join(''))
  .filter((text) => !text.includes('\r\n'));

describe('LineDecoder, for any lines and any chunking', () => {
  test('frames equal the original lines (keep-alives included)', () => {
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 12 }).chain((lines) => {
          const bytes = utf8.encode(lines.map((l) => `${l}\r\n`).join(''));
          return fc.tuple(fc.constant(lines), fc.constant(bytes), arbitraryCuts(bytes.length));
        }),
        ([lines, bytes, cuts]) => {
          const expected: Frame[] = lines.map((l) => (l === '' ? keepAlive : message(l)));
          expect(decodeAll(splitAt(bytes, cuts))).toEqual(expected);
        },
      ),
      { numRuns: 400 },
    );
  });

  test('with a bound, oversize lines are reported in place and the others delivered', () => {
    const max = 24;
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 10 }).chain((lines) => {
          const bytes = utf8.encode(lines.map((l) => `${l}\r\n`).join(''));
          return fc.tuple(fc.constant(lines), fc.constant(bytes), arbitraryCuts(bytes.length));
        }),
        ([lines, bytes, cuts]) => {
          const expected: Frame[] = lines.map((l) => {
            const byteLength = utf8.encode(l).length;
            if (byteLength === 0) return keepAlive;
            return byteLength > max ? { type: 'oversize', byteLength } : message(l);
          });
          const decoder = new LineDecoder({ maxMessageBytes: max });
          const frames: Frame[] = [];
          for (const chunk of splitAt(bytes, cuts)) {
            frames.push(...decoder.push(chunk));
            expect(decoder.bufferedBytes).toBeLessThanOrEqual(max + 1);
          }
          frames.push(...decoder.end());
          expect(frames).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** A post-like message with multibyte text; ids as 19-digit strings. */
const id = fc.bigInt({ min: 10n ** 18n, max: 9_223_372_036_854_775_807n }).map(String);
const text = fc
  .array(fc.oneof(tricky, fc.string({ unit: 'grapheme', maxLength: 3 })), { maxLength: 30 })
  .map((parts) => parts.join(''));
const post = fc.record({
  data: fc.record({
    id,
    text,
    lang: fc.constantFrom('en', 'ja', 'qst'),
    public_metrics: fc.record({ like_count: fc.nat(), retweet_count: fc.nat() }),
    extra: fc.jsonValue({ maxDepth: 2 }),
  }),
  matching_rules: fc.array(fc.record({ id, tag: fc.option(text, { nil: null }) }), {
    minLength: 1,
    maxLength: 3,
  }),
});
type Post = typeof post extends fc.Arbitrary<infer T> ? T : never;

/** Serialises like X (compact), or pretty-printed (bare \n between tokens); rule ids as JSON numbers. */
function serialise(value: Post, pretty: boolean): string {
  const json = JSON.stringify(value, null, pretty ? 1 : undefined);
  let out = json;
  for (const rule of value.matching_rules) {
    out = out.replace(new RegExp(`("id": ?)"${rule.id}"`), `$1${rule.id}`);
  }
  return out;
}

/**
 * The model of the lossless parse: a non-negative integer written with 16+
 * digits comes out as its digits (a string); everything else as JSON.parse gives it.
 */
function bigIntegersAsStrings(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 1e21) {
    const digits = String(value);
    if (digits.length >= 16) return digits;
  }
  return value;
}

describe('LineDecoder + message parser, for any messages and any chunking', () => {
  test('parsed messages equal the originals, 19-digit numeric ids exact as strings', () => {
    const parse = createMessageParser({ validate: 'off' });
    const item = fc.oneof(
      { weight: 3, arbitrary: fc.tuple(post, fc.boolean()) },
      { weight: 1, arbitrary: fc.constant(null) }, // a keep-alive
    );
    fc.assert(
      fc.property(
        fc.array(item, { maxLength: 8 }).chain((items) => {
          const body = items
            .map((entry) => (entry === null ? '\r\n' : `${serialise(entry[0], entry[1])}\r\n`))
            .join('');
          const bytes = utf8.encode(body);
          return fc.tuple(fc.constant(items), fc.constant(bytes), arbitraryCuts(bytes.length));
        }),
        ([items, bytes, cuts]) => {
          const expected = items.map((entry) =>
            entry === null
              ? 'keep-alive'
              : JSON.parse(JSON.stringify(entry[0]), bigIntegersAsStrings),
          );
          const frames = decodeAll(splitAt(bytes, cuts));
          const actual = frames.map((frame) => {
            if (frame.type !== 'message') return frame.type;
            const parsed = parse(frame);
            return parsed.type === 'response' ? parsed.response : parsed;
          });
          expect(actual).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
