import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { compileConformance as compileFor } from '../../src/decode/fast-conformance.js';
import { parseJsonLossless } from '../../src/decode/index.js';
import { SampleStreamResponse, StreamResponse } from '../../src/schemas/index.js';
import { fixtureDocuments, fixtureFiles } from '../schemas/fixture-walk.js';

/** Stream messages from the recordings (the fixture walk the schema tests use). */
function recordedMessages(): unknown[] {
  return fixtureFiles('stream')
    .filter((file) => file.endsWith('.json') || file.endsWith('.jsonl'))
    .flatMap((file) => fixtureDocuments(file));
}

describe.each([
  { mode: 'generated functions', generate: true },
  { mode: 'the field loop (no code generation)', generate: false },
])('the fast conformance check agrees with zod: $mode', ({ generate }) => {
  const messages = recordedMessages();
  const compileConformance = (schema: z.ZodType) => compileFor(schema, { generate });

  test('every recorded message: a fast "yes" means zod accepts it and returns it unchanged', () => {
    expect(messages.length).toBeGreaterThan(5);
    const check = compileConformance(StreamResponse);
    let fast = 0;
    for (const message of messages) {
      if (!check(message)) continue;
      fast++;
      const result = StreamResponse.safeParse(message);
      expect(result.success).toBe(true);
      expect(result.data).toEqual(message);
    }
    // The fast path must actually be taken for ordinary posts.
    expect(fast).toBeGreaterThan(0);
  });

  test('any mutation of a recorded message: never "yes" where zod says no or would change it', () => {
    const check = compileConformance(StreamResponse);
    const leaf = fc.oneof(
      fc.constant(null),
      fc.constant('4'),
      fc.constant(''),
      fc.constant('12a'),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant([]),
      fc.constant({}),
      fc.string({ maxLength: 5 }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...messages), fc.nat(), leaf, (message, pick, replacement) => {
        const copy = structuredClone(message);
        const paths: (string | number)[][] = [];
        const walk = (node: unknown, path: (string | number)[]) => {
          paths.push(path);
          if (node && typeof node === 'object') {
            for (const [key, child] of Object.entries(node))
              walk(child, [...path, Array.isArray(node) ? Number(key) : key]);
          }
        };
        walk(copy, []);
        const path = paths[pick % paths.length]!;
        if (path.length === 0) return;
        let parent = copy as Record<string | number, unknown>;
        for (const key of path.slice(0, -1))
          parent = parent[key] as Record<string | number, unknown>;
        parent[path.at(-1)!] = replacement;
        if (!check(copy)) return;
        const result = StreamResponse.safeParse(copy);
        expect(result.success).toBe(true);
        expect(result.data).toEqual(copy);
      }),
      { numRuns: 2000 },
    );
  });

  test('values zod normalises are left to zod', () => {
    const post = {
      data: {
        id: '1',
        text: 't',
        edit_controls: { edits_remaining: '4', is_edit_eligible: true, editable_until: 'x' },
      },
    };
    expect(compileConformance(SampleStreamResponse)(post)).toBe(false);
    expect(
      compileConformance(StreamResponse)(
        parseJsonLossless('{"matching_rules":[{"id":12,"tag":"a"}]}'),
      ),
    ).toBe(false);
    post.data.edit_controls.edits_remaining = 4 as never;
    expect(compileConformance(SampleStreamResponse)(post)).toBe(true);
  });

  test('schema parts it does not know (transforms, refinements, stripping objects) always defer to zod', () => {
    expect(compileConformance(z.string().transform((s) => s.length))('x')).toBe(false);
    expect(compileConformance(z.string().refine((s) => s === 'x'))('x')).toBe(false);
    expect(compileConformance(z.object({ a: z.string() }))({ a: 'x' })).toBe(false);
    expect(compileConformance(z.looseObject({ a: z.string() }))({ a: 'x', b: 1 })).toBe(true);
  });
});

describe('generated and loop checks are the same check', () => {
  test('a recursive schema (a quoted post inside a post) works through the forward reference', () => {
    type Node = { id: string; child?: Node };
    const Node: z.ZodType<Node> = z.looseObject({
      id: z.string(),
      get child() {
        return Node.optional();
      },
    });
    for (const generate of [true, false]) {
      const check = compileFor(Node, { generate });
      expect(check({ id: 'a', child: { id: 'b', child: { id: 'c' } } })).toBe(true);
      expect(check({ id: 'a', child: { id: 'b', child: { id: 3 } } })).toBe(false);
    }
  });

  test('keys that are not identifiers are read exactly', () => {
    const Odd = z.looseObject({ 'a"b': z.string(), 'x-y\\z': z.number(), '\u2028': z.boolean() });
    // On Node code generation is allowed: the generated function is the one in use.
    expect(compileFor(Odd).name).toBe('conforms');
    expect(compileFor(Odd, { generate: false }).name).not.toBe('conforms');
    for (const generate of [true, false]) {
      const check = compileFor(Odd, { generate });
      expect(check({ 'a"b': 's', 'x-y\\z': 1, '\u2028': true })).toBe(true);
      expect(check({ 'a"b': 's', 'x-y\\z': '1', '\u2028': true })).toBe(false);
    }
  });
});
