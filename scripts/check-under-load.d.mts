/** The failed tests of a vitest JSON report ("file > full name"; a file that failed outside its tests once). */
export function failedTests(
  report: {
    testResults?: {
      name: string;
      status: string;
      message?: string;
      assertionResults?: { status: string; fullName: string }[];
    }[];
  },
  root?: string,
): string[];
/** How many runs each test failed in, most first. */
export function tally(runs: string[][]): [string, number][];
/** `--runs N`, `--busy N`, and the arguments for vitest. */
export function parseArgs(argv: string[]): { runs: number; busy: number; vitest: string[] };
