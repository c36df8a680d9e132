import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { summarize, summaryLine } from '../test-summary.mjs';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../test-summary.mjs', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/summary/', import.meta.url));
const VITEST = join(
  dirname(createRequire(import.meta.url).resolve('vitest/package.json')),
  'vitest.mjs',
);
const temp = mkdtempSync(join(tmpdir(), 'birdstream-summary-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** Runs the summary script on `reportFile` (which may not exist). */
async function summaryOf(reportFile: string): Promise<{ stdout: string; code: number }> {
  try {
    const { stdout } = await run(process.execPath, [SCRIPT, reportFile]);
    return { stdout, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; code: number };
    return { stdout: e.stdout, code: e.code };
  }
}

describe('the summary line counts tests', () => {
  it("counts vitest's real report: one failing test is one failure, a file that fails to load is one", async () => {
    const report = join(temp, 'report.json');
    // The fixture project fails on purpose, so vitest exits 1: the report is what matters.
    await run(process.execPath, [
      VITEST,
      'run',
      '--root',
      FIXTURE,
      '--reporter=json',
      `--outputFile.json=${report}`,
    ]).catch(() => {});
    const raw = JSON.parse(readFileSync(report, 'utf8'));
    // vitest counts the failing test's describe block and both failed files as failed suites.
    expect(raw.numFailedTestSuites).toBe(3);
    expect(summarize(raw)).toEqual({ passed: 3, failed: 2, skipped: 1 });
    expect(await summaryOf(report)).toEqual({
      stdout: '3 passed, 2 failed, 1 skipped\n',
      code: 0,
    });
  }, 60_000);

  it('a passing run says 0 failed and leaves out skipped when none was', () => {
    const counts = summarize({
      numPassedTests: 1590,
      numFailedTests: 0,
      testResults: [{ status: 'passed', assertionResults: [{ status: 'passed' }] }],
    });
    expect(summaryLine(counts)).toBe('1590 passed, 0 failed');
  });

  it('one failing test in a file is "1 failed", whatever blocks surround it', () => {
    const counts = summarize({
      numPassedTests: 1590,
      numFailedTests: 1,
      testResults: [
        { status: 'failed', assertionResults: [{ status: 'failed' }, { status: 'passed' }] },
      ],
    });
    expect(summaryLine(counts)).toBe('1590 passed, 1 failed');
  });

  it('a missing report (an earlier step failed) prints one failure and exits 1', async () => {
    expect(await summaryOf(join(temp, 'missing.json'))).toEqual({
      stdout:
        'tests did not run: an earlier check (lint, typecheck, build, package) failed\n0 passed, 1 failed\n',
      code: 1,
    });
  });

  it('reads the file it is given', async () => {
    const file = join(temp, 'given.json');
    writeFileSync(file, JSON.stringify({ numPassedTests: 2, numFailedTests: 0, testResults: [] }));
    expect(await summaryOf(file)).toEqual({ stdout: '2 passed, 0 failed\n', code: 0 });
  });
});
