import { describe, expect, test } from 'vitest';
import { validateRules } from '../../src/index.js';

describe('validateRules', () => {
  test('a good set is valid and returns one result per rule', () => {
    const report = validateRules([{ value: 'cat has:images', tag: 'cats' }, 'dog has:images']);
    expect(report).toMatchObject({ valid: true, problems: [], warnings: [] });
    expect(report.rules).toHaveLength(2);
  });

  test('every rule problem carries the index of its rule', () => {
    const report = validateRules(['cat', 'has:media', 'dog', 'lang:xx cat']);
    expect(report.valid).toBe(false);
    expect(report.problems.map((p) => [p.index, p.code])).toEqual([
      [1, 'no-standalone-operator'],
      [3, 'argument-out-of-range'],
    ]);
  });

  test('duplicate values are reported on the later rule, naming the earlier one', () => {
    const report = validateRules([
      { value: 'cat has:images' },
      { value: 'dog' },
      { value: 'cat has:images', tag: 'again' },
    ]);
    expect(report.problems).toEqual([
      expect.objectContaining({ code: 'duplicate-value', index: 2, position: 1 }),
    ]);
    expect(report.problems[0]?.message).toMatch(/^Rule 3 has the same value as rule 1/);
  });

  test('empty and non-string values are problems', () => {
    const report = validateRules(['', { value: '  ' }, { value: 7 as unknown as string }]);
    expect(report.problems.map((p) => [p.index, p.code])).toEqual([
      [0, 'empty-rule'],
      [1, 'empty-rule'],
      [2, 'invalid-value'],
    ]);
  });

  test('more rules than the tier allows is one set-level problem without an index', () => {
    const rules = Array.from({ length: 26 }, (_, i) => `word${i}`);
    expect(validateRules(rules).valid).toBe(true);
    const report = validateRules(rules, { tier: 'elevated' });
    expect(report.problems).toEqual([expect.objectContaining({ code: 'too-many-rules' })]);
    expect(report.problems[0]?.index).toBeUndefined();
    expect(report.problems[0]?.message).toContain(
      'There are 26 rules but the limit is 25 on the elevated tier',
    );
    expect(validateRules(rules, { tier: 'elevated', maxRules: 26 }).valid).toBe(true);
  });

  test('warnings are collected with their index and do not invalidate the set', () => {
    const report = validateRules(['cat', 'entity: Paris']);
    expect(report.valid).toBe(true);
    expect(report.warnings).toEqual([
      expect.objectContaining({ code: 'operator-without-value', index: 1 }),
    ]);
  });
});
