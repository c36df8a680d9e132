import { readFixtureText } from '@birdstream/test-utils';
import { describe, expect, test } from 'vitest';
import {
  createMessageParser,
  type ParsedMessage,
  quoteBigIntegers,
} from '../../src/decode/index.js';
import { isPayloadError } from '../../src/errors/index.js';
import { decodeAll } from './helpers.js';

const strict = createMessageParser({ validate: 'strict' });
const off = createMessageParser({ validate: 'off' });
const utf8 = new TextEncoder();

function frame(text: string) {
  return { text, byteLength: utf8.encode(text).length };
}

function response(parsed: ParsedMessage) {
  if (parsed.type !== 'response') throw new Error(`expected a response, got ${parsed.type}`);
  return parsed.response;
}

function invalid(parsed: ParsedMessage) {
  if (parsed.type !== 'invalid') throw new Error(`expected invalid, got ${parsed.type}`);
  return parsed.error;
}

const msg00 = readFixtureText('stream/twarc-csv/msg_00_tweet_1377650090978992134.json');
const RULE_ID = /"matching_rules": \[\{"id": (\d{19})/.exec(msg00)?.[1] as string;
const SECRET = 'SECRET-PAYLOAD-TEXT';

describe('createMessageParser: strict', () => {
  test('parses the recorded message with exact string rule ids and tag null', () => {
    const res = response(strict(frame(msg00)));
    expect(res.data?.id).toBe('1377650090978992134');
    expect(res.matching_rules).toEqual([{ id: RULE_ID, tag: null }]);
    expect(res.includes?.users?.[0]?.username).toBe('blackheart_265');
  });

  test('normalises edits_remaining sent as a string and keeps fields it does not model', () => {
    const text = JSON.stringify({
      data: {
        id: '1',
        text: 'hi',
        edit_controls: { edits_remaining: '4', is_edit_eligible: true, editable_until: 'x' },
        brand_new_field: { a: 1 },
      },
      future_top_level: true,
    });
    const res = response(strict(frame(text)));
    expect(res.data?.edit_controls?.edits_remaining).toBe(4);
    expect(res.data).toHaveProperty('brand_new_field', { a: 1 });
    expect(res).toHaveProperty('future_top_level', true);
  });

  test('an errors-only message (operational disconnect) is a response', () => {
    const text = readFixtureText('stream/twarc-csv/msg_04_operational_disconnect_error.json');
    const res = response(strict(frame(text)));
    expect(res.data).toBeUndefined();
    expect(res.errors?.[0]).toMatchObject({ disconnect_type: 'OperationalDisconnect' });
  });

  test('a schema mismatch becomes a typed PayloadError, without throwing or leaking the payload', () => {
    const text = JSON.stringify({
      data: { id: 'not-digits', text: SECRET },
      includes: { users: [{ id: '1' }] },
    });
    const error = invalid(strict(frame(text)));
    expect(isPayloadError(error)).toBe(true);
    expect(error.kind).toBe('schema-mismatch');
    expect(error.byteLength).toBe(utf8.encode(text).length);
    expect(error.issues.map((issue) => issue.path.join('.'))).toEqual(
      expect.arrayContaining(['data.id', 'includes.users.0.name', 'includes.users.0.username']),
    );
    expect(error.raw).toBe(text);
    expect(error.message).not.toContain(SECRET);
    expect(JSON.stringify(error)).not.toContain(SECRET);
    expect(JSON.stringify(error.issues)).not.toContain(SECRET);
    expect(Object.keys(error)).not.toContain('raw');
  });

  test('a message that is JSON but not an object is a schema mismatch', () => {
    for (const text of ['[1,2]', '"text"', '42', 'null']) {
      const error = invalid(strict(frame(text)));
      expect(error.kind).toBe('schema-mismatch');
      expect(error.issues[0]?.message).toMatch(/Expected a JSON object/);
    }
  });
});

describe('createMessageParser: off', () => {
  test('skips zod: wrong field types pass, ids stay exact', () => {
    const text = `{"data":{"id":5,"text":"x"},"matching_rules":[{"id":${RULE_ID},"tag":""}]}`;
    expect(invalid(strict(frame(text))).kind).toBe('schema-mismatch');
    expect(response(off(frame(text)))).toEqual({
      data: { id: 5, text: 'x' },
      matching_rules: [{ id: RULE_ID, tag: '' }],
    });
  });

  test('still checks the shape: data an object, errors an array', () => {
    expect(invalid(off(frame('{"data":"x"}'))).kind).toBe('schema-mismatch');
    expect(invalid(off(frame('{"data":[]}'))).kind).toBe('schema-mismatch');
    expect(invalid(off(frame('{"errors":{}}'))).kind).toBe('schema-mismatch');
    expect(off(frame('{"errors":[]}')).type).toBe('response');
  });
});

describe.each([
  ['strict', strict],
  ['off', off],
] as const)('createMessageParser (%s): both modes', (_mode, parse) => {
  test('invalid JSON becomes PayloadError invalid-json, its message and cause free of payload', () => {
    const text = `{"data":{"text":"${SECRET}"`;
    const error = invalid(parse(frame(text)));
    expect(error.kind).toBe('invalid-json');
    expect(error.byteLength).toBe(text.length);
    expect(error.raw).toBe(text);
    expect(error.message).not.toContain(SECRET);
    expect(JSON.stringify(error)).not.toContain(SECRET);
    expect(String((error.cause as Error).message)).not.toContain(SECRET);
    expect(String((error.cause as Error).message)).not.toContain('{"data"');
  });

  test('a JSON object with neither data nor errors is unknown (a new message type)', () => {
    expect(parse(frame('{"compliance":{"delete":{"id":"1"}}}'))).toEqual({
      type: 'unknown',
      value: { compliance: { delete: { id: '1' } } },
    });
  });

  test('a malformed line between two good ones: both good ones delivered, the bad one reported', () => {
    const good = '{"data":{"id":"1","text":"a"}}';
    const frames = decodeAll([
      `${good}\r\n{"data":{"id":"2",\r\n`,
      `${good.replace('"1"', '"3"')}\r\n`,
    ]);
    const parsed = frames.map((f) => (f.type === 'message' ? parse(f) : f));
    expect(parsed.map((p) => p.type)).toEqual(['response', 'invalid', 'response']);
    expect(response(parsed[0] as ParsedMessage).data?.id).toBe('1');
    expect(invalid(parsed[1] as ParsedMessage).kind).toBe('invalid-json');
    expect(response(parsed[2] as ParsedMessage).data?.id).toBe('3');
  });

  test('an oversize line followed by a normal one: reported, then the normal one delivered', () => {
    const frames = decodeAll(
      [`{"data":{"id":"1","text":"${'x'.repeat(200)}"}}\r\n`, '{"data":{"id":"2","text":"b"}}\r\n'],
      { maxMessageBytes: 100 },
    );
    expect(frames[0]).toEqual({ type: 'oversize', byteLength: 229 });
    expect(frames[1]?.type === 'message' && response(parse(frames[1])).data?.id).toBe('2');
  });
});

test('quoteBigIntegers is what makes numeric rule ids exact (the parser uses it)', () => {
  expect(quoteBigIntegers(msg00)).toContain(`"id": "${RULE_ID}"`);
});
