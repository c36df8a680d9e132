import { describe, expect, test } from 'vitest';
import { type LocatedNode, readRulesTree } from '../../src/index.js';

/**
 * The tree a YAML reader would build for this text: block mappings start at
 * their first key, plain scalars have no quotes, and `''` is one quote.
 */
const YAML = ['rules:', '  - value: cat has:images', "    tag: it''s"].join('\n');
const offset = (needle: string) => YAML.indexOf(needle);
const range = (from: number, length: number) => Array.from({ length }, (_, k) => from + k);

const YAML_TREE: LocatedNode = {
  kind: 'object',
  offset: 0,
  entries: [
    {
      key: 'rules',
      keyOffset: 0,
      value: {
        kind: 'array',
        offset: offset('- value'),
        items: [
          {
            kind: 'object',
            offset: offset('value:'),
            entries: [
              {
                key: 'value',
                keyOffset: offset('value:'),
                value: {
                  kind: 'string',
                  offset: offset('cat'),
                  value: 'cat has:images',
                  units: range(offset('cat'), 14),
                },
              },
              {
                key: 'tag',
                keyOffset: offset('tag:'),
                value: { kind: 'string', offset: offset("it''s"), value: "it's" },
              },
            ],
          },
        ],
      },
    },
  ],
};

describe('readRulesTree', () => {
  test("reads another format's tree with the same positions, using its units", () => {
    const seen: number[] = [];
    const { rules, issues, entries } = readRulesTree(YAML_TREE, YAML, {
      onEntry: (_entry, index) => seen.push(index),
    });
    expect(issues).toEqual([]);
    expect(entries).toBe(1);
    expect(seen).toEqual([0]);
    expect(rules.map((r) => ({ ...r }))).toEqual([
      {
        value: 'cat has:images',
        tag: "it's",
        index: 0,
        line: 2,
        column: 5,
        valueLine: 2,
        valueColumn: 12,
      },
    ]);
    expect(rules[0]?.locate(5)).toEqual({ line: 2, column: 16 });
  });

  test('an empty document is a shape issue that says so', () => {
    expect(readRulesTree(null, '')).toEqual({
      rules: [],
      issues: [
        {
          code: 'shape',
          message:
            'The document is empty: write an array of rules or an object with a "rules" array.',
          line: 1,
          column: 1,
          path: [],
        },
      ],
      flaggedRules: [],
      entries: 0,
    });
  });

  test('values of other types are named in the message', () => {
    const { issues } = readRulesTree(
      {
        kind: 'array',
        offset: 0,
        items: [
          { kind: 'other', offset: 2 },
          {
            kind: 'object',
            offset: 4,
            entries: [
              { key: 'value', keyOffset: 4, value: { kind: 'boolean', offset: 6, value: true } },
            ],
          },
        ],
      },
      '[ * {v:t} ]',
    );
    expect(issues.map((i) => i.message)).toEqual([
      'Rule 1 must be an object with a "value" (and an optional "tag") or a string, not a value of another type.',
      'Rule 2: "value" must be a string (the rule\'s text), not true.',
    ]);
  });
});
