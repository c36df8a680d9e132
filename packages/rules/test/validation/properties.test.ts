import fc from 'fast-check';
import { expect, test } from 'vitest';
import { validateRule } from '../../src/index.js';

const pieces = fc.constantFrom(
  'cat',
  'OR',
  'or',
  '(',
  ')',
  '-',
  '"',
  '"a b"~3',
  '#tag',
  '@user',
  'has:media',
  'is:nullcast',
  'sample:',
  'sample:50',
  'lang:en',
  'foo:bar',
  'point_radius:[',
  ']',
  ' ',
  '  ',
  '\\"',
  '😃',
  'entity:',
);

test('never throws, and every problem points inside the rule with a consistent message', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string(),
        fc.array(pieces, { maxLength: 30 }).map((p) => p.join('')),
      ),
      (rule) => {
        const result = validateRule(rule, { maxLength: 64 });
        expect(result.valid).toBe(result.problems.length === 0);
        for (const problem of [...result.problems, ...result.warnings]) {
          expect(problem.position).toBeGreaterThanOrEqual(1);
          expect(problem.position).toBeLessThanOrEqual(Math.max(rule.length, 1));
          expect(problem.message.endsWith(`(at position ${problem.position})`)).toBe(true);
        }
        const positions = result.problems.map((p) => p.position);
        expect(positions).toEqual([...positions].sort((a, b) => a - b));
      },
    ),
    { numRuns: 500 },
  );
});

test('a rule that is only valid keywords joined by spaces or OR is valid', () => {
  const word = fc.stringMatching(/^[a-z]{2,8}$/).filter((w) => w !== 'or');
  fc.assert(
    fc.property(
      fc.array(fc.tuple(word, fc.boolean()), { minLength: 1, maxLength: 30 }),
      (parts) => {
        const rule = parts.map(([w, or], i) => (i > 0 && or ? `OR ${w}` : w)).join(' ');
        expect(validateRule(rule).problems).toEqual([]);
      },
    ),
    { numRuns: 200 },
  );
});
