import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';

/**
 * The README's TypeScript examples (and the repository README's quick start) are compiled in test/readme.test-d.ts; this keeps that
 * file honest: every line of every ```ts block of README.md (imports aside, since the test
 * file hoists them; indentation and blank lines aside) stands there, in order and unbroken.
 */
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const compiled = readFileSync(new URL('./readme.test-d.ts', import.meta.url), 'utf8');

function codeLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('import '));
}

function containsRun(haystack: string[], needle: string[]): boolean {
  for (let start = 0; start + needle.length <= haystack.length; start++) {
    if (needle.every((line, i) => haystack[start + i] === line)) return true;
  }
  return false;
}

const rootReadme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

const blocks = (text: string) =>
  [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
// The repository README's quick start is a core example too.
const examples = [...blocks(readme), ...blocks(rootReadme)];

describe('README.md examples', () => {
  test('there are examples to check', () => {
    expect(examples.length).toBeGreaterThanOrEqual(8);
  });

  test.each(examples.map((code) => [codeLines(code)[0], code]))(
    'the example starting "%s" is in readme.test-d.ts verbatim',
    (_first, code) => {
      expect(containsRun(codeLines(compiled), codeLines(code))).toBe(true);
    },
  );
});
