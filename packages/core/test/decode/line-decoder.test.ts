import { chunksOfSize, concatBytes, everySplit, splitAt } from '@birdstream/test-utils';
import { describe, expect, test } from 'vitest';
import { DEFAULT_MAX_MESSAGE_BYTES, LineDecoder } from '../../src/decode/index.js';
import { decodeAll, keepAlive, message, utf8 } from './helpers.js';

describe('LineDecoder framing', () => {
  test('cuts lines at \\r\\n and decodes each', () => {
    expect(decodeAll(['{"a":1}\r\n{"b":2}\r\n'])).toEqual([message('{"a":1}'), message('{"b":2}')]);
  });

  test('an empty line is a keep-alive', () => {
    expect(decodeAll(['\r\n\r\n{"a":1}\r\n\r\n'])).toEqual([
      keepAlive,
      keepAlive,
      message('{"a":1}'),
      keepAlive,
    ]);
  });

  test('a chunk that is exactly \\r\\n is a keep-alive, also between halves of a message', () => {
    expect(decodeAll(['\r\n'])).toEqual([keepAlive]);
    expect(decodeAll(['{"a":', '1}\r\n', '\r\n', '{"b":2}', '\r\n'])).toEqual([
      message('{"a":1}'),
      keepAlive,
      message('{"b":2}'),
    ]);
  });

  test('\\r at the end of one chunk and \\n at the start of the next end the line', () => {
    expect(decodeAll(['{"a":1}\r', '\n{"b":2}\r', '\n'])).toEqual([
      message('{"a":1}'),
      message('{"b":2}'),
    ]);
    expect(decodeAll(['\r', '\n'])).toEqual([keepAlive]);
    expect(decodeAll(['{"a":1}\r\n\r', '\n'])).toEqual([message('{"a":1}'), keepAlive]);
  });

  test('a bare \\n (as in a post text) or a bare \\r does not end a line', () => {
    const withNewlines = '{"text":"line one\nline two\n\nthree\r four"}';
    expect(decodeAll([`${withNewlines}\r\n`])).toEqual([message(withNewlines)]);
    expect(decodeAll(['\n\r\n'])).toEqual([message('\n')]);
    expect(decodeAll(['{"a":1}\r\n', '\n', 'x\r\n'])).toEqual([message('{"a":1}'), message('\nx')]);
  });

  test('a 4-byte emoji split at every byte offset decodes whole', () => {
    const line = '{"text":"bird 🐦 — naïve 日本語"}';
    const bytes = utf8.encode(`${line}\r\n`);
    for (const [head, tail] of everySplit(bytes)) {
      expect(decodeAll([head, tail])).toEqual([message(line)]);
    }
  });

  test('one byte per chunk', () => {
    const text = '{"text":"🐦\nb"}\r\n\r\n{"n":"日本"}\r\n';
    expect(decodeAll(chunksOfSize(utf8.encode(text), 1))).toEqual([
      message('{"text":"🐦\nb"}'),
      keepAlive,
      message('{"n":"日本"}'),
    ]);
  });

  test('JSON split in many chunks, several messages in one chunk', () => {
    const bytes = utf8.encode('{"a":"xyz"}\r\n{"b":2}\r\n{"c":3}\r\n');
    expect(decodeAll(splitAt(bytes, [3, 5, 20, 21]))).toEqual([
      message('{"a":"xyz"}'),
      message('{"b":2}'),
      message('{"c":3}'),
    ]);
  });

  test('push returns the frames each chunk completes, in order', () => {
    const decoder = new LineDecoder();
    expect(decoder.push(utf8.encode('{"a"'))).toEqual([]);
    expect(decoder.bufferedBytes).toBe(4);
    expect(decoder.push(utf8.encode(':1}\r'))).toEqual([]);
    expect(decoder.push(utf8.encode('\n\r\n{"b"'))).toEqual([message('{"a":1}'), keepAlive]);
    expect(decoder.push(new Uint8Array(0))).toEqual([]);
    expect(decoder.push(utf8.encode(':2}\r\n'))).toEqual([message('{"b":2}')]);
    expect(decoder.bufferedBytes).toBe(0);
  });

  test('the decoder copies what it keeps: reusing a chunk buffer does not corrupt a line', () => {
    const decoder = new LineDecoder();
    const buffer = new Uint8Array(8);
    buffer.set(utf8.encode('{"a":"b'));
    decoder.push(buffer.subarray(0, 7));
    buffer.fill(0x21); // the caller overwrites its buffer
    buffer.set(utf8.encode('"}\r\n'));
    expect(decoder.push(buffer.subarray(0, 4))).toEqual([message('{"a":"b"}')]);
  });

  test('byteLength counts UTF-8 bytes without the \\r\\n', () => {
    const [frame] = decodeAll(['{"t":"é🐦"}\r\n']);
    expect(frame).toEqual({ type: 'message', text: '{"t":"é🐦"}', byteLength: 14 });
  });

  test('invalid UTF-8 becomes U+FFFD instead of throwing', () => {
    const bytes = concatBytes([
      utf8.encode('{"t":"'),
      new Uint8Array([0xff, 0xfe]),
      utf8.encode('"}\r\n'),
    ]);
    expect(decodeAll([bytes])).toEqual([
      { type: 'message', text: '{"t":"\uFFFD\uFFFD"}', byteLength: 10 },
    ]);
  });
});

describe('LineDecoder end()', () => {
  test('returns the leftover bytes without \\r\\n as a final message, then resets', () => {
    const decoder = new LineDecoder();
    decoder.push(utf8.encode('{"a":1}\r\n{"b":'));
    expect(decoder.push(utf8.encode('2}'))).toEqual([]);
    expect(decoder.end()).toEqual([message('{"b":2}')]);
    expect(decoder.end()).toEqual([]);
    expect(decoder.push(utf8.encode('{"c":3}\r\n'))).toEqual([message('{"c":3}')]);
  });

  test('a trailing \\r is dropped and nothing is returned for an empty remainder', () => {
    expect(decodeAll(['{"a":1}\r'])).toEqual([message('{"a":1}')]);
    expect(decodeAll(['{"a":1}\r\n\r'])).toEqual([message('{"a":1}')]);
    expect(decodeAll(['{"a":1}\r\n'])).toEqual([message('{"a":1}')]);
    expect(decodeAll([])).toEqual([]);
  });
});

describe('LineDecoder oversize lines', () => {
  test('a line over the bound gives one oversize frame and the lines around it are delivered', () => {
    const big = `{"text":"${'x'.repeat(100)}"}`;
    const frames = decodeAll(['{"a":1}\r\n', `${big}\r\n`, '{"b":2}\r\n'], { maxMessageBytes: 50 });
    expect(frames).toEqual([
      message('{"a":1}'),
      { type: 'oversize', byteLength: big.length },
      message('{"b":2}'),
    ]);
  });

  test('memory stays bounded while an oversize line streams in, and the decoder resynchronises', () => {
    const decoder = new LineDecoder({ maxMessageBytes: 64 });
    expect(decoder.push(utf8.encode('{"a":1}\r\n{"big":"'))).toEqual([message('{"a":1}')]);
    let total = '{"big":"'.length;
    for (let i = 0; i < 100; i++) {
      expect(decoder.push(utf8.encode('y'.repeat(50)))).toEqual([]);
      total += 50;
      expect(decoder.bufferedBytes).toBeLessThanOrEqual(65);
    }
    expect(decoder.push(utf8.encode('"}\r'))).toEqual([]);
    expect(decoder.push(utf8.encode('\n{"b":2}\r\n'))).toEqual([
      { type: 'oversize', byteLength: total + 2 },
      message('{"b":2}'),
    ]);
  });

  test('the bound is inclusive, and a split \\r at the bound is not counted', () => {
    const exact = 'z'.repeat(10);
    expect(decodeAll([`${exact}\r\n`], { maxMessageBytes: 10 })).toEqual([message(exact)]);
    expect(decodeAll([`${exact}\r`, '\n'], { maxMessageBytes: 10 })).toEqual([message(exact)]);
    expect(
      decodeAll([exact.slice(0, 4), `${exact.slice(4)}\r`, '\n'], { maxMessageBytes: 10 }),
    ).toEqual([message(exact)]);
    expect(decodeAll([`${exact}z\r\n`], { maxMessageBytes: 10 })).toEqual([
      { type: 'oversize', byteLength: 11 },
    ]);
    expect(decodeAll([exact, 'z\r\n'], { maxMessageBytes: 10 })).toEqual([
      { type: 'oversize', byteLength: 11 },
    ]);
  });

  test('an oversize line cut off by the end of the body is reported by end()', () => {
    expect(decodeAll(['{"a":1}\r\n', 'w'.repeat(30)], { maxMessageBytes: 10 })).toEqual([
      message('{"a":1}'),
      { type: 'oversize', byteLength: 30 },
    ]);
  });

  test('the default bound is 16 MiB and invalid bounds are rejected', () => {
    expect(new LineDecoder().maxMessageBytes).toBe(DEFAULT_MAX_MESSAGE_BYTES);
    expect(DEFAULT_MAX_MESSAGE_BYTES).toBe(16 * 1024 * 1024);
    expect(() => new LineDecoder({ maxMessageBytes: 0 })).toThrow(RangeError);
    expect(() => new LineDecoder({ maxMessageBytes: Number.NaN })).toThrow(/maxMessageBytes/);
  });
});
