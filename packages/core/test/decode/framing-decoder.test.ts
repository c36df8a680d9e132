import { describe, expect, test } from 'vitest';
import { FramingDecoder } from '../../src/decode/index.js';
import { keepAlive, message, utf8 } from './helpers.js';

function push(decoder: FramingDecoder, text: string) {
  return decoder.push(utf8.encode(text));
}

describe('FramingDecoder: the rule, by example', () => {
  test('X: \\r\\n decides crlf; a bare \\n inside the first message does not split it', () => {
    const decoder = new FramingDecoder();
    expect(push(decoder, '{"data":\n{"id":"1"}}')).toEqual([]);
    expect(decoder.framing).toBeUndefined();
    expect(push(decoder, '\r\n\r\n')).toEqual([message('{"data":\n{"id":"1"}}'), keepAlive]);
    expect(decoder.framing).toBe('crlf');
    expect(push(decoder, '{"a":1}\n{"b":2}\r\n')).toEqual([message('{"a":1}\n{"b":2}')]);
  });

  test("X's playground: JSON lines ending in \\n, keep-alives as bare \\n", () => {
    const decoder = new FramingDecoder();
    expect(push(decoder, '{"data":{"id":"1"}}\n\n{"data":{"id":"2"}}\n')).toEqual([
      message('{"data":{"id":"1"}}'),
      keepAlive,
      message('{"data":{"id":"2"}}'),
    ]);
    expect(decoder.framing).toBe('lf');
  });

  test('a playground stream that starts with a keep-alive, then turns out to be SSE', () => {
    const decoder = new FramingDecoder();
    expect(push(decoder, '\n')).toEqual([keepAlive]);
    expect(decoder.framing).toBe('lf');
    expect(push(decoder, 'data: {"data":{"id":"1"}}\n\n')).toEqual([
      message('{"data":{"id":"1"}}'),
    ]);
    expect(decoder.framing).toBe('sse');
  });

  test('SSE: data lines join with \\n, event/id/retry are ignored, comments are keep-alives', () => {
    const decoder = new FramingDecoder();
    expect(
      push(decoder, ': hello\r\nevent: post\r\nid: 1\r\ndata: {"a":\r\ndata:1}\r\n\r\n'),
    ).toEqual([keepAlive, message('{"a":\n1}')]);
    expect(decoder.framing).toBe('sse');
    expect(push(decoder, 'data: x\n')).toEqual([]);
    expect(decoder.end()).toEqual([message('x')]);
  });

  test('bytes with no line end at all: bytesSinceFrame grows; at the bound, crlf reports oversize', () => {
    const decoder = new FramingDecoder({ maxMessageBytes: 10 });
    expect(push(decoder, 'abcdef')).toEqual([]);
    expect(decoder.bytesSinceFrame).toBe(6);
    expect(push(decoder, 'ghijkl')).toEqual([]);
    expect(decoder.framing).toBe('crlf');
    expect(decoder.bytesSinceFrame).toBe(12);
    expect(push(decoder, '\r\n')).toEqual([{ type: 'oversize', byteLength: 12 }]);
    expect(decoder.bytesSinceFrame).toBe(0);
  });

  test('a forced framing skips detection', () => {
    const decoder = new FramingDecoder({ framing: 'lf' });
    expect(decoder.framing).toBe('lf');
    expect(push(decoder, 'not json\n')).toEqual([message('not json')]);
  });
});
