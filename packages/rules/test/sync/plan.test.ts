import { describe, expect, test } from 'vitest';
import { planSync, sameTag } from '../../src/sync/plan.js';

describe('planSync', () => {
  const current = [
    { id: '1', value: 'same' },
    { id: '2', value: 'retag', tag: 'old' },
    { id: '3', value: 'gone', tag: 'x' },
  ];

  test('classifies by value: unchanged, retagged, new, and gone', () => {
    const plan = planSync(
      [{ value: 'same' }, { value: 'retag', tag: 'new' }, { value: 'fresh' }],
      current,
      true,
    );
    expect(plan).toEqual({
      toAdd: [{ value: 'retag', tag: 'new' }, { value: 'fresh' }],
      toDelete: [current[1], current[2]],
      unchanged: [current[0]],
      retagged: [{ from: current[1], to: { value: 'retag', tag: 'new' } }],
      unmanaged: [],
    });
  });

  test('without prune, gone rules are unmanaged rather than deleted', () => {
    const plan = planSync([{ value: 'same' }], current, false);
    expect(plan.toDelete).toEqual([]);
    expect(plan.unmanaged).toEqual([current[1], current[2]]);
  });

  test('values compare exactly (case and spaces matter to X)', () => {
    const plan = planSync([{ value: 'Same' }, { value: 'same ' }], current, false);
    expect(plan.toAdd).toHaveLength(2);
    expect(plan.unchanged).toEqual([]);
  });

  test.each([
    [undefined, undefined, true],
    [undefined, '', true],
    [null, '', true],
    ['a', 'a', true],
    ['a', undefined, false],
    ['a', 'A', false],
  ])('sameTag(%j, %j) is %j', (a, b, same) => {
    expect(sameTag(a, b)).toBe(same);
  });
});
