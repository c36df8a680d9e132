import { readFileSync } from 'node:fs';
import { compiledVerbatim, tsBlocks } from '@birdstream/test-utils';
import { describe, expect, test } from 'vitest';

/**
 * The README's TypeScript examples (and the repository README's examples that use core: the
 * quick starts) are compiled in test/readme.test-d.ts; this keeps that file honest: every line
 * of every ```ts block (imports aside, since the test file hoists them; indentation and blank
 * lines aside) stands there, in order and unbroken. The repository README's Cloudflare Workers
 * example (@birdstream/webhooks) is compiled and run on workerd by runtime-tests
 * (test/workerd/webhook-worker.test.ts checks it is that worker, verbatim).
 */
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const compiled = readFileSync(new URL('./readme.test-d.ts', import.meta.url), 'utf8');
const rootReadme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

const usesCore = (code: string) => code.includes("from '@birdstream/core'");
const examples = [...tsBlocks(readme), ...tsBlocks(rootReadme).filter(usesCore)];

describe('README.md examples', () => {
  test('there are examples to check', () => {
    expect(examples.length).toBeGreaterThanOrEqual(8);
  });

  test('every example of the repository README is checked: here (core) or by runtime-tests (webhooks)', () => {
    for (const code of tsBlocks(rootReadme)) {
      expect(usesCore(code) || code.includes("from '@birdstream/webhooks'")).toBe(true);
    }
  });

  test.each(
    examples.map((code) => [
      code.split('\n').find((l) => l.trim() && !l.startsWith('import ')),
      code,
    ]),
  )('the example starting "%s" is in readme.test-d.ts verbatim', (_first, code) => {
    expect(compiledVerbatim(compiled, code)).toBe(true);
  });
});
