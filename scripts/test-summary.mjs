// Prints "N passed, N failed[, N skipped]" from vitest's JSON report: one line that counts
// tests. A test file that failed without a failing test of its own (it did not load, or a
// hook outside every test threw) counts as one failure. Exits 1 when the report is missing
// (the check failed before tests ran).
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * Counts a vitest JSON report: passed and failed tests, plus one failure for each file that
 * failed with no failing test in it. (vitest's own `numFailedTestSuites` counts every file and
 * `describe` block around a failing test as a failure too: one failing test was "2 failed".)
 * @param {{
 *   numPassedTests?: number, numFailedTests?: number, numPendingTests?: number,
 *   numTodoTests?: number,
 *   testResults?: { status: string, assertionResults?: { status: string }[] }[],
 * }} report
 * @returns {{ passed: number, failed: number, skipped: number }}
 */
export function summarize(report) {
  const filesFailedOutsideTests = (report.testResults ?? []).filter(
    (file) =>
      file.status === 'failed' &&
      !(file.assertionResults ?? []).some((test) => test.status === 'failed'),
  ).length;
  return {
    passed: report.numPassedTests ?? 0,
    failed: (report.numFailedTests ?? 0) + filesFailedOutsideTests,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  };
}

/** The summary line of `counts`. */
export function summaryLine({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
}

function main() {
  const file = process.argv[2] ?? '.vitest-results.json';
  if (!existsSync(file)) {
    console.log('tests did not run: an earlier check (lint, typecheck, build, package) failed');
    console.log(summaryLine({ passed: 0, failed: 1, skipped: 0 }));
    process.exit(1);
  }
  console.log(summaryLine(summarize(JSON.parse(readFileSync(file, 'utf8')))));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
