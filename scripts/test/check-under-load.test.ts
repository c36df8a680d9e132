import { describe, expect, it } from 'vitest';
import { failedTests, parseArgs, tally } from '../check-under-load.mjs';

describe('check:under-load', () => {
  it('lists each failed test by file and full name, and a file that failed outside its tests once', () => {
    const report = {
      testResults: [
        {
          name: '/repo/packages/a/test/a.test.ts',
          status: 'failed',
          assertionResults: [
            { status: 'failed', fullName: 'group fails' },
            { status: 'passed', fullName: 'group passes' },
          ],
        },
        {
          name: '/repo/packages/b/test/b.test.ts',
          status: 'failed',
          message: 'boom',
          assertionResults: [],
        },
        { name: '/repo/packages/c/test/c.test.ts', status: 'passed', assertionResults: [] },
      ],
    };
    expect(failedTests(report, '/repo')).toEqual([
      'packages/a/test/a.test.ts > group fails',
      'packages/b/test/b.test.ts (the file failed outside its tests: boom)',
    ]);
  });

  it('counts in how many runs each test failed, most first', () => {
    expect(tally([['x', 'y'], ['y'], [], ['y', 'y']])).toEqual([
      ['y', 3],
      ['x', 1],
    ]);
  });

  it('reads --runs and --busy, and hands the rest to vitest', () => {
    expect(parseArgs(['--runs', '5', '--busy=1', '--project', 'core'])).toEqual({
      runs: 5,
      busy: 1,
      vitest: ['--project', 'core'],
    });
    expect(() => parseArgs(['--runs', '0'])).toThrow('--runs needs a whole number >= 1.');
  });
});
