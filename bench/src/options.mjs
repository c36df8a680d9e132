// @ts-check
/**
 * Command-line options of `pnpm bench:compare` and the three modes.
 *
 * | mode      | N       | rounds | RSS at      | latency posts |
 * |-----------|---------|--------|-------------|---------------|
 * | default   | 5,000   | 3      | N and 4N    | 4,000         |
 * | `--full`  | 100,000 | 5      | N and 4N    | 10,000        |
 * | `--smoke` | 200     | 1      | (skipped)   | 200           |
 */
import { parseArgs } from 'node:util';
import { CONSUMERS } from './consumers/index.mjs';
import { findRuntime } from './runtimes.mjs';

/**
 * @typedef {object} BenchOptions
 * @property {'default' | 'full' | 'smoke'} mode
 * @property {number} count N: posts per throughput run
 * @property {number} rounds
 * @property {number} seed
 * @property {boolean} rss measure peak RSS at 4N too
 * @property {number} latencyCount posts per latency run (0: skip)
 * @property {number} paceRate posts per second in latency runs
 * @property {number} idleMs a consumer gives up after this long without a new post
 * @property {string[]} consumers adapter names
 * @property {string | undefined} out results file (JSON; a .md next to it)
 */

const USAGE = `Usage: pnpm bench:compare [--smoke | --full] [options]

  --smoke            tiny N, 1 round, every consumer: proves the harness and correctness
  --full             the issue's sizes: N = 100,000, 5 rounds
  --count N          posts per throughput run (default 5,000)
  --rounds R         interleaved rounds (default 3)
  --seed S           corpus and chunking seed (default 20260401)
  --latency-count L  posts per latency run, 0 to skip (default 4,000; the first
                     quarter is warm-up and not counted)
  --rate R           paced rate of latency runs in posts/s (default 2,000)
  --no-rss           skip the 4N memory runs
  --consumers a,b    only these consumers (raw-http is always included)
  --out FILE         results JSON (default bench/results/<date>-<mode>.json)

Consumers: ${CONSUMERS.map((c) => c.file).join(', ')}`;

/**
 * @param {string[]} argv
 * @returns {BenchOptions}
 */
export function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      smoke: { type: 'boolean', default: false },
      full: { type: 'boolean', default: false },
      count: { type: 'string' },
      rounds: { type: 'string' },
      seed: { type: 'string' },
      'latency-count': { type: 'string' },
      rate: { type: 'string' },
      'no-rss': { type: 'boolean', default: false },
      consumers: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (values.smoke && values.full) throw new Error('Pass --smoke or --full, not both.');
  const mode = values.smoke ? 'smoke' : values.full ? 'full' : 'default';
  const preset = {
    default: { count: 5_000, rounds: 3, latencyCount: 4_000, rss: true, idleMs: 2_000 },
    full: { count: 100_000, rounds: 5, latencyCount: 10_000, rss: true, idleMs: 5_000 },
    smoke: { count: 200, rounds: 1, latencyCount: 200, rss: false, idleMs: 2_000 },
  }[mode];
  const int = (
    /** @type {string | undefined} */ text,
    /** @type {number} */ fallback,
    /** @type {string} */ name,
  ) => {
    if (text === undefined) return fallback;
    const value = Number(text.replaceAll('_', '').replaceAll(',', ''));
    if (!Number.isInteger(value) || value < 0)
      throw new Error(`--${name} takes a whole number, got ${text}.`);
    return value;
  };
  const known = new Set(CONSUMERS.map((c) => c.file));
  let consumers = CONSUMERS.map((c) => c.file);
  if (values.consumers) {
    const picked = values.consumers.split(',').map((name) => name.trim());
    for (const name of picked) {
      if (!known.has(name))
        throw new Error(`Unknown consumer ${name}. Known: ${[...known].join(', ')}.`);
    }
    consumers = consumers.filter((name) => name === 'raw-http' || picked.includes(name));
  }
  // Rows on another runtime need it installed (root devDependencies `bun`, `deno`): without it
  // the row is left out, and said so, rather than failing the run.
  consumers = consumers.filter((name) => {
    const runtime = CONSUMERS.find((c) => c.file === name)?.runtime;
    if (runtime === undefined) return true;
    const found = findRuntime(runtime);
    if ('binary' in found) return true;
    console.error(
      `bench:compare: ${name} left out: ${runtime} does not run here (${found.reason}).`,
    );
    return false;
  });
  const count = int(values.count, preset.count, 'count');
  if (count < 1) throw new Error('--count must be at least 1.');
  return {
    mode,
    count,
    rounds: Math.max(1, int(values.rounds, preset.rounds, 'rounds')),
    seed: int(values.seed, 20260401, 'seed'),
    rss: preset.rss && !values['no-rss'],
    latencyCount: int(values['latency-count'], preset.latencyCount, 'latency-count'),
    paceRate: Math.max(1, int(values.rate, 2_000, 'rate')),
    idleMs: preset.idleMs,
    consumers,
    out: values.out,
  };
}
