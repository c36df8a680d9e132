// `pnpm check:under-load [--runs N] [--busy N] [vitest filters…]`: runs the test suite N times
// (default 3) while N other processes (default: one per core) keep every core busy, then prints
// every test that failed at least once, with how many runs it failed in. A test whose outcome
// depends on how fast the machine runs shows up here before it shows up in CI. Extra arguments
// go to `vitest run` (`--project testing`, a path). Exits 1 when any test failed.
//
// Each run's full output is kept in a temp folder, printed at the end.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { summarize, summaryLine } from './test-summary.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The tests a vitest JSON report says failed, by file and full name; a file that failed
 * outside its tests (it did not load, a hook threw) is one entry: the file, with its message.
 * @param {{ testResults?: { name: string, status: string, message?: string,
 *   assertionResults?: { status: string, fullName: string }[] }[] }} report
 * @param {string} [root] paths are printed relative to it
 * @returns {string[]}
 */
export function failedTests(report, root = ROOT) {
  const failed = [];
  for (const file of report.testResults ?? []) {
    const name = relative(root, file.name);
    const tests = (file.assertionResults ?? []).filter((t) => t.status === 'failed');
    for (const test of tests) failed.push(`${name} > ${test.fullName}`);
    if (file.status === 'failed' && tests.length === 0) {
      failed.push(`${name} (the file failed outside its tests: ${file.message || 'no message'})`);
    }
  }
  return failed;
}

/**
 * How many runs each test failed in, most first.
 * @param {string[][]} runs the failed tests of each run
 * @returns {[string, number][]}
 */
export function tally(runs) {
  const counts = new Map();
  for (const failed of runs)
    for (const name of new Set(failed)) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** Parses `--runs N`, `--busy N`; everything else goes to vitest. */
export function parseArgs(argv) {
  const options = { runs: 3, busy: availableParallelism(), vitest: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') continue;
    const [flag, inline] = arg.split('=', 2);
    if (flag === '--runs' || flag === '--busy') {
      const value = Number(inline ?? argv[++i]);
      if (!Number.isInteger(value) || value < (flag === '--runs' ? 1 : 0)) {
        throw new Error(`${flag} needs a whole number${flag === '--runs' ? ' >= 1' : ' >= 0'}.`);
      }
      options[flag.slice(2)] = value;
    } else options.vitest.push(arg);
  }
  return options;
}

/** Starts `count` processes that spin on a core each until stopped. */
function startBusy(count) {
  const children = [];
  for (let i = 0; i < count; i++) {
    children.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  }
  return () => {
    for (const child of children) child.kill('SIGKILL');
  };
}

/** Runs `vitest run args`, its output written to `logFile` as it comes; resolves with the exit code. */
function runVitest(args, logFile) {
  return new Promise((resolve) => {
    const log = openSync(logFile, 'w');
    const child = spawn(
      process.execPath,
      [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', ...args],
      { cwd: ROOT, stdio: ['ignore', log, log] },
    );
    child.on('close', (code) => {
      closeSync(log);
      resolve(code ?? 1);
    });
  });
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'birdstream-under-load-'));
  console.log(
    `Running the tests ${options.runs} time(s) with ${options.busy} busy process(es) beside them; logs in ${dir}`,
  );
  const stopBusy = startBusy(options.busy);
  const stop = () => {
    stopBusy();
    process.exit(130);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const runs = [];
  try {
    for (let run = 1; run <= options.runs; run++) {
      const report = join(dir, `run-${run}.json`);
      const log = join(dir, `run-${run}.log`);
      const started = performance.now();
      const code = await runVitest(
        ['--reporter=dot', '--reporter=json', `--outputFile.json=${report}`, ...options.vitest],
        log,
      );
      const seconds = ((performance.now() - started) / 1000).toFixed(0);
      if (!existsSync(report)) {
        console.log(`run ${run}: vitest wrote no report (exit ${code}, ${seconds} s); see ${log}`);
        runs.push([`(run ${run}: no report, vitest exited ${code})`]);
        continue;
      }
      const json = JSON.parse(readFileSync(report, 'utf8'));
      const failed = failedTests(json);
      // vitest exits non-zero on errors outside any test file (an unhandled rejection) too.
      if (code !== 0 && failed.length === 0)
        failed.push(`(run ${run}: vitest exited ${code}; see the log)`);
      runs.push(failed);
      console.log(`run ${run}: ${summaryLine(summarize(json))} in ${seconds} s`);
    }
  } finally {
    stopBusy();
  }
  const counts = tally(runs);
  if (counts.length === 0) {
    console.log(`No test failed in ${options.runs} run(s) under load. Logs: ${dir}`);
    return;
  }
  console.log(`\nFailed at least once (runs failed / runs):`);
  for (const [name, times] of counts) console.log(`  ${times}/${options.runs}  ${name}`);
  console.log(`\nLogs and reports: ${dir}`);
  process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
