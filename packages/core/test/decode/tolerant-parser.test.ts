import { readFixtureText } from '@birdstream/test-utils';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { z } from 'zod';
import { createMessageParser, driftOf, type ParsedMessage } from '../../src/decode/index.js';
import { readTolerantly } from '../../src/decode/tolerant-reader.js';
import { STREAM_ENDPOINT_TABLE } from '../../src/endpoints/endpoint-table.js';
import { Tweet } from '../../src/schemas/tweet.js';
import { fixtureDocuments, fixtureFiles } from '../schemas/fixture-walk.js';

const utf8 = new TextEncoder();
const frame = (text: string) => ({ text, byteLength: utf8.encode(text).length });
const posts = STREAM_ENDPOINT_TABLE.filter;
const tolerant = createMessageParser({
  validate: 'tolerant',
  schema: posts.schema,
  identity: posts.dedupeKey,
});
const strict = createMessageParser({ validate: 'strict', schema: posts.schema });

function response(parsed: ParsedMessage) {
  if (parsed.type !== 'response') throw new Error(`expected a response, got ${parsed.type}`);
  return parsed;
}
function unrecognized(parsed: ParsedMessage) {
  if (parsed.type !== 'unrecognized') throw new Error(`expected unrecognized, got ${parsed.type}`);
  return parsed.unrecognized;
}

const post = (data: Record<string, unknown>, more: Record<string, unknown> = {}) =>
  JSON.stringify({ data: { id: '1377650090978992134', text: 'hi', ...data }, ...more });

describe("validate: 'tolerant' reads what matches exactly as 'strict' does", () => {
  const files = [...fixtureFiles('stream'), ...fixtureFiles('oas-examples')].filter(
    (f) => f.endsWith('.json') || f.endsWith('.jsonl'),
  );
  const rowFor = (
    file: string,
  ): { schema: z.ZodType; dedupeKey: (m: unknown) => string | undefined } => {
    const name = /oas-examples\/(.+)\.jsonl$/.exec(file)?.[1];
    if (name === undefined) return posts;
    if (name === 'likes') return STREAM_ENDPOINT_TABLE['likes-firehose'];
    return STREAM_ENDPOINT_TABLE[name as keyof typeof STREAM_ENDPOINT_TABLE];
  };
  for (const file of files) {
    test(file, () => {
      const row = rowFor(file);
      const read = createMessageParser({
        validate: 'tolerant',
        schema: row.schema,
        identity: row.dedupeKey,
      });
      const exact = createMessageParser({ validate: 'strict', schema: row.schema });
      const text = readFixtureText(file);
      const lines = file.endsWith('.jsonl') ? text.split('\n').filter((l) => l.trim()) : [text];
      for (const line of lines) {
        const a = read(frame(line));
        const b = exact(frame(line));
        expect(a).toEqual(b);
        if (a.type === 'response') expect(driftOf(a.response)).toBeUndefined();
      }
    });
  }

  test('property: whatever zod accepts, the reader returns unchanged and without drift', () => {
    const documents = fixtureFiles('objects')
      .filter((f) => f.endsWith('.json'))
      .flatMap((f) => fixtureDocuments(f))
      .flatMap((doc) => {
        const data = (doc as { data?: unknown }).data;
        return Array.isArray(data) ? data : data === undefined ? [] : [data];
      });
    fc.assert(
      fc.property(fc.constantFrom(...documents), fc.anything(), (doc, noise) => {
        for (const value of [doc, noise, { ...(doc as object), extra: noise }]) {
          const zod = Tweet.safeParse(value);
          const drift: unknown[] = [];
          const read = readTolerantly(Tweet, value, drift as never);
          if (zod.success) {
            expect(read).toEqual({ ok: true, value: zod.data });
            expect(drift).toEqual([]);
          } else if (read.ok) {
            // Accepted only by reconciling: every difference is reported.
            expect(drift.length).toBeGreaterThan(0);
            expect(Tweet.safeParse(read.value).success).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("validate: 'tolerant' delivers by identity and reports drift", () => {
  test('counts sent as numeric strings are read as numbers; ids sent as numbers as digits', () => {
    const text = post(
      {
        public_metrics: { retweet_count: '3', reply_count: 0, like_count: '12', quote_count: 1 },
        author_id: 2244994945,
      },
      { matching_rules: [{ id: '1', tag: 'a' }] },
    );
    expect(strict(frame(text)).type).toBe('invalid');
    const parsed = response(tolerant(frame(text)));
    expect(parsed.response.data?.public_metrics).toEqual({
      retweet_count: 3,
      reply_count: 0,
      like_count: 12,
      quote_count: 1,
    });
    expect(parsed.response.data?.author_id).toBe('2244994945');
    expect(parsed.drift?.map((d) => [d.path.join('.'), d.kind])).toEqual([
      ['data.author_id', 'coerced'],
      ['data.public_metrics.retweet_count', 'coerced'],
      ['data.public_metrics.like_count', 'coerced'],
    ]);
    expect(driftOf(parsed.response)).toBe(parsed.drift);
    expect(JSON.stringify(parsed.response)).not.toContain('drift');
  });

  test('only lossless coercions: "007", "1e3", "12.50" and unsafe integers are not numbers', () => {
    for (const bad of ['007', '1e3', '12.50', '9007199254740993', ' 1', '']) {
      const parsed = response(
        tolerant(
          frame(
            post({
              public_metrics: { retweet_count: 1, reply_count: 0, like_count: bad, quote_count: 1 },
            }),
          ),
        ),
      );
      // The object is optional: set aside whole, its value kept as sent.
      expect(parsed.response.data?.public_metrics).toBeUndefined();
      expect(parsed.drift).toEqual([
        expect.objectContaining({
          path: ['data', 'public_metrics'],
          kind: 'set-aside',
          value: { retweet_count: 1, reply_count: 0, like_count: bad, quote_count: 1 },
        }),
      ]);
    }
  });

  test('an optional field of the wrong type is set aside with its value; the post is delivered', () => {
    const parsed = response(
      tolerant(frame(post({ lang: 42, entities: 'not an object', created_at: '2021-01-01' }))),
    );
    expect(parsed.response.data).toMatchObject({
      id: '1377650090978992134',
      created_at: '2021-01-01',
    });
    expect(parsed.response.data).not.toHaveProperty('lang');
    expect(parsed.response.data).not.toHaveProperty('entities');
    expect(parsed.drift).toEqual([
      expect.objectContaining({
        path: ['data', 'entities'],
        kind: 'set-aside',
        value: 'not an object',
      }),
      expect.objectContaining({ path: ['data', 'lang'], kind: 'set-aside', value: 42 }),
    ]);
    for (const d of parsed.drift ?? []) expect(d.detail).not.toContain('not an object');
  });

  test('an array element that does not fit is set aside; the others stay in order', () => {
    const users = [
      { id: '1', name: 'a', username: 'a' },
      { id: '2', username: 'b' },
      { id: '3', name: 'c', username: 'c' },
    ];
    const parsed = response(tolerant(frame(post({}, { includes: { users } }))));
    expect(parsed.response.includes?.users?.map((u) => u.id)).toEqual(['1', '3']);
    expect(parsed.drift).toEqual([
      expect.objectContaining({
        path: ['includes', 'users', 1],
        kind: 'set-aside',
        value: users[1],
      }),
    ]);
    expect(parsed.drift?.[0]?.detail).toContain('(at name)');
  });

  test('a required field that cannot be read: unrecognized, with the message as sent', () => {
    const text = post({ text: undefined });
    const result = unrecognized(tolerant(frame(text)));
    expect(result.reason).toBe('irreconcilable');
    expect(result.message).toEqual(JSON.parse(text));
    expect(result.issues).toEqual([
      { path: ['data', 'text'], message: 'Expected a string, got nothing (the field is missing).' },
    ]);
  });

  test('wrong types at the identity: unrecognized (identity-missing), never a guess', () => {
    for (const id of [true, { id: 1 }, null, -1, 1.5, [1]]) {
      const result = unrecognized(tolerant(frame(JSON.stringify({ data: { id, text: 'x' } }))));
      expect(result.reason).toBe('identity-missing');
      expect(result.issues[0]?.path).toEqual(['data', 'id']);
    }
    // A string that is not an id: the key can be read but is not of its declared form.
    for (const id of ['abc', '', '12345678901234567890']) {
      const result = unrecognized(tolerant(frame(JSON.stringify({ data: { id, text: 'x' } }))));
      expect(result.reason).toBe('irreconcilable');
      expect(result.issues[0]).toEqual({
        path: ['data', 'id'],
        message: 'Expected an id: a string of 1 to 19 digits.',
      });
    }
    // A numeric id sent as a JSON number is exact: read as its digits.
    expect(response(tolerant(frame('{"data":{"id":12345,"text":"x"}}'))).response.data?.id).toBe(
      '12345',
    );
    expect(
      response(tolerant(frame('{"data":{"id":1377650090978992134,"text":"x"}}'))).response.data?.id,
    ).toBe('1377650090978992134');
  });

  test('a message with neither data nor errors: unrecognized (unknown-type)', () => {
    const result = unrecognized(tolerant(frame('{"created_at":"2026-12-06T18:12:24Z","id":"1"}')));
    expect(result).toMatchObject({ reason: 'unknown-type', message: { id: '1' } });
    expect(strict(frame('{"id":"1"}')).type).toBe('unknown');
  });

  test('an error-only message whose problems are all off-shape is unrecognized, not an empty response', () => {
    const result = unrecognized(tolerant(frame('{"errors":[{"created_at":"x","id":"1"}]}')));
    expect(result.reason).toBe('irreconcilable');
    expect(result.issues[0]?.path).toEqual(['errors', 0]);
  });

  test('not JSON, not an object: payload-invalid as with strict', () => {
    expect(tolerant(frame('{"data":')).type).toBe('invalid');
    expect(tolerant(frame('[1,2]')).type).toBe('invalid');
  });
});

describe('bad input stays safe', () => {
  test('fuzzed lines: never throws, always one typed result', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((data) => JSON.stringify({ data })),
          fc
            .record({ id: fc.jsonValue(), text: fc.jsonValue(), lang: fc.jsonValue() })
            .map((data) => JSON.stringify({ data, errors: [{}] })),
        ),
        (text) => {
          const parsed = tolerant(frame(text));
          expect(['response', 'invalid', 'unrecognized']).toContain(parsed.type);
          if (parsed.type === 'response') {
            expect(Tweet.safeParse(parsed.response.data).success).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  test('deeply nested JSON: in a modelled field it is set aside, in an unknown one kept', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const inModelled = response(
      tolerant(frame(`{"data":{"id":"1","text":"x","entities":${deep}}}`)),
    );
    expect(inModelled.drift?.map((d) => d.path)).toEqual([['data', 'entities']]);
    const inUnknown = response(
      tolerant(frame(`{"data":{"id":"1","text":"x","brand_new":${deep}}}`)),
    );
    expect(inUnknown.drift).toBeUndefined();
    expect(inUnknown.response.data?.id).toBe('1');
  });
});
