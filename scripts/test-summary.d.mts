/** What a vitest JSON report holds that the summary reads. */
export interface VitestJsonReport {
  numPassedTests?: number;
  numFailedTests?: number;
  numPendingTests?: number;
  numTodoTests?: number;
  testResults?: { status: string; assertionResults?: { status: string }[] }[];
}
/** Test counts of a report: a file that failed outside its tests counts as one failure. */
export function summarize(report: VitestJsonReport): {
  passed: number;
  failed: number;
  skipped: number;
};
/** "N passed, N failed[, N skipped]". */
export function summaryLine(counts: { passed: number; failed: number; skipped: number }): string;
