import { readFileSync } from 'node:fs';
import { compiledVerbatim, tsBlocks } from '@birdstream/test-utils';
import { describe, expect, test } from 'vitest';
import { BirdstreamMetrics, DEFAULT_PREFIX } from '../src/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

const compiled = readFileSync(new URL('./readme.test-d.ts', import.meta.url), 'utf8');
describe('README.md', () => {
  test('its TypeScript example is compiled in readme.test-d.ts, verbatim', () => {
    const [example] = tsBlocks(readme);
    expect(example).toBeDefined();
    expect(compiledVerbatim(compiled, example ?? '')).toBe(true);
  });

  test('the metrics tables list no family that does not exist', () => {
    const rows = readme
      .split('\n')
      .flatMap((line) => /^\| `([a-z_]+)` \|/.exec(line)?.[1] ?? [])
      .sort();
    expect(rows).toEqual(
      BirdstreamMetrics.families.map((f) => `${DEFAULT_PREFIX}${f.name}`).sort(),
    );
  });

  test.each(BirdstreamMetrics.families.map((f) => [f.name, f]))(
    'the metrics table has %s with its type and labels',
    (_name, family) => {
      const row = readme
        .split('\n')
        .find((line) => line.startsWith(`| \`${DEFAULT_PREFIX}${family.name}\` |`));
      expect(row).toBeDefined();
      expect(row).toContain(`| ${family.type} | ${family.labels.join(', ')} |`);
    },
  );
});
