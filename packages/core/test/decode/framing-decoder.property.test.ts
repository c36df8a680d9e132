import { arbitraryCuts, splitAt } from '@birdstream/test-utils';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type Frame, FramingDecoder } from '../../src/decode/index.js';
import { keepAlive, message, utf8 } from './helpers.js';

function decode(chunks: Uint8Array[]): { frames: Frame[]; framing: string | undefined } {
  const decoder = new FramingDecoder();
  const frames: Frame[] = [];
  for (const chunk of chunks) frames.push(...decoder.push(chunk));
  frames.push(...decoder.end());
  return { frames, framing: decoder.framing };
}

/** A non-empty JSON object, compact or pretty-printed (bare \n between tokens). */
const jsonObject = fc
  .tuple(
    fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), {
      minKeys: 1,
      maxKeys: 4,
    }),
    fc.constantFrom(0, 1, 2),
  )
  .map(([value, indent]) => JSON.stringify(value, null, indent));
const compactObject = fc
  .dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), {
    minKeys: 1,
    maxKeys: 4,
  })
  .map((value) => JSON.stringify(value));
/** A line that is not JSON (and no SSE field): an invalid message. */
const junk = fc
  .string({
    unit: fc.constantFrom('a', 'é', '🐦', '{', '"', ' ', 'x'),
    minLength: 1,
    maxLength: 12,
  })
  .filter((text) => {
    try {
      JSON.parse(text);
      return false;
    } catch {
      return true;
    }
  });

function frameOf(line: string): Frame {
  return line === '' ? keepAlive : message(line);
}

describe('FramingDecoder, for any body and any chunking', () => {
  test('crlf: messages (pretty-printed ones hold bare \\n, the first one too) are never split', () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.oneof(jsonObject, fc.constant('')), { minLength: 1, maxLength: 8 })
          .chain((lines) => {
            const bytes = utf8.encode(lines.map((l) => `${l}\r\n`).join(''));
            return fc.tuple(fc.constant(lines), fc.constant(bytes), arbitraryCuts(bytes.length));
          }),
        ([lines, bytes, cuts]) => {
          const { frames, framing } = decode(splitAt(bytes, cuts));
          expect(framing).toBe('crlf');
          expect(frames).toEqual(lines.map(frameOf));
        },
      ),
      { numRuns: 300 },
    );
  });

  test('lf (X playground): one message per \\n, keep-alives and invalid lines in place', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(
            fc.array(fc.oneof(compactObject, fc.constant(''), junk), { maxLength: 8 }),
            fc.oneof(compactObject, fc.constant('')),
          )
          .chain(([before, decisive]) => {
            const lines = [...before, decisive];
            const bytes = utf8.encode(lines.map((l) => `${l}\n`).join(''));
            return fc.tuple(fc.constant(lines), fc.constant(bytes), arbitraryCuts(bytes.length));
          }),
        ([lines, bytes, cuts]) => {
          const { frames, framing } = decode(splitAt(bytes, cuts));
          expect(framing).toBe('lf');
          expect(frames).toEqual(lines.map(frameOf));
        },
      ),
      { numRuns: 300 },
    );
  });

  /** An SSE event: optional event/id fields, 0–3 data lines, any line ending. */
  const dataValue = fc.string({
    unit: fc.constantFrom('a', 'é', '🐦', '{', '}', '"', ':', ' ', 'd'),
    maxLength: 10,
  });
  const sseItem = fc.oneof(
    fc.record({
      kind: fc.constant('event' as const),
      fields: fc.subarray(['event: post', 'id: 7', 'retry: 1000']),
      data: fc.array(dataValue, { maxLength: 3 }),
    }),
    fc.record({ kind: fc.constant('comment' as const), text: dataValue }),
  );

  test('sse: one message per event of data: lines (joined by \\n); comments and empty events are keep-alives', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(fc.array(sseItem, { minLength: 1, maxLength: 6 }), fc.constantFrom('\n', '\r\n'))
          // An event has at least one line (a blank line alone after a comment ends nothing).
          .filter(([items]) =>
            items.every(
              (item) => item.kind === 'comment' || item.fields.length + item.data.length > 0,
            ),
          )
          .chain(([items, eol]) => {
            const text = items
              .map((item) =>
                item.kind === 'comment'
                  ? `:${item.text}${eol}`
                  : `${[...item.fields, ...item.data.map((d) => `data: ${d}`)].map((l) => `${l}${eol}`).join('')}${eol}`,
              )
              .join('');
            const bytes = utf8.encode(text);
            return fc.tuple(fc.constant(items), fc.constant(bytes), arbitraryCuts(bytes.length));
          }),
        ([items, bytes, cuts]) => {
          const expected = items.map((item) =>
            item.kind === 'comment' || item.data.length === 0
              ? keepAlive
              : message(item.data.join('\n')),
          );
          const { frames, framing } = decode(splitAt(bytes, cuts));
          expect(framing).toBe('sse');
          expect(frames).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
