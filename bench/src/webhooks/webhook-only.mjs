// @ts-check
/**
 * The webhook phase of `pnpm bench:compare` alone (build first):
 * `node bench/src/webhooks/webhook-only.mjs [--count N] [--rounds R] [--seed S]`.
 * Same targets, corpus, warm-up and table as the full run; nothing is written to bench/results/.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { seededRandom } from '../random.mjs';
import { renderWebhookTable, runWebhookBench } from './webhook-bench.mjs';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '5000' },
    rounds: { type: 'string', default: '3' },
    seed: { type: 'string', default: '20260401' },
  },
});
const whole = (/** @type {string} */ text, /** @type {string} */ name) => {
  const value = Number(text.replaceAll('_', ''));
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`--${name} takes a whole number of at least 1, got ${text}.`);
  }
  return value;
};
const options = {
  count: whole(values.count, 'count'),
  rounds: whole(values.rounds, 'rounds'),
  seed: whole(values.seed, 'seed'),
};
const log = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);
const before = loadavg();
const runs = await runWebhookBench(options, seededRandom(options.seed ^ 0x0bad5eed), log);
const after = loadavg();
const load = (/** @type {number[]} */ l) => l.map((x) => x.toFixed(1)).join(' ');
process.stdout.write(
  `Node ${process.version}, ${new Date().toISOString()}, N = ${options.count}, ${options.rounds} round(s), load average ${load(before)} at start, ${load(after)} at end\n\n${renderWebhookTable(runs)}\n`,
);
if (runs.some((run) => !run.correct)) process.exitCode = 1;
