// @ts-check
/**
 * The webhook phase of `pnpm bench:compare`: verified deliveries per second through
 * `@birdstream/webhooks` on node:http, side by side with a bare node:http handler that only
 * parses the JSON, in one run. Each target runs in a fresh process; one load generator (this
 * process) POSTs the same N signed bodies of the stream corpus to each, 32 at a time over
 * keep-alive connections, in interleaved, shuffled rounds. A warm-up of other bodies (a fifth
 * of N, at most 1,000) goes first, untimed, so that no target is timed while it compiles. The
 * cell is N / elapsed from the first timed request to the last answer, as a ratio to the bare
 * handler of the same round.
 */
import { fork } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { monotonicMs } from '../clock.mjs';
import { buildCorpus } from '../corpus.mjs';
import { shuffled } from '../random.mjs';
import { median, range } from '../stats.mjs';

export const WEBHOOK_REFERENCE = 'bare-http';
export const WEBHOOK_TARGETS = [
  WEBHOOK_REFERENCE,
  'birdstream-webhooks',
  'birdstream-webhooks-off',
];
const TARGET = fileURLToPath(new URL('./webhook-target.mjs', import.meta.url));
const SECRET = 'bench-consumer-secret-0123456789-abcdefghijklmnopqrst';
const IN_FLIGHT = 32;

/**
 * @typedef {object} WebhookRun
 * @property {number} round
 * @property {string} target
 * @property {number} count
 * @property {number} elapsedMs
 * @property {number} ok answers with status 200
 * @property {number} accepted deliveries the target counted
 * @property {number} unique distinct post ids the target counted
 * @property {number} cpuUs CPU time (user + system) the target process spent in the timed part
 * @property {boolean} correct every delivery answered 200 and counted once
 * @property {string} [error]
 */

/** The corpus's messages as webhook bodies (keep-alives dropped), each signed as X signs it. */
export function signedBodies(/** @type {number} */ count, /** @type {number} */ seed) {
  const corpus = buildCorpus(count, seed);
  return signedSlice(corpus, count);
}

/**
 * @param {import('../corpus.mjs').Corpus} corpus
 * @param {number} count
 */
function signedSlice(corpus, count) {
  /** @type {{ body: Buffer, signature: string }[]} */
  const out = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const end = corpus.messageEnds[i] ?? 0;
    const body = Buffer.from(corpus.body.subarray(start, end).toString('utf8').trim(), 'utf8');
    start = end;
    out.push({
      body,
      signature: `sha256=${createHmac('sha256', SECRET).update(body).digest('base64')}`,
    });
  }
  return out;
}

/**
 * @param {{ body: Buffer, signature: string }[]} bodies
 * @param {string} target
 * @param {number} round
 * @param {{ body: Buffer, signature: string }[]} [warmUp] sent first, untimed
 * @returns {Promise<WebhookRun>}
 */
export async function runWebhookTarget(bodies, target, round, warmUp = []) {
  const child = fork(TARGET, [target], {
    env: { ...process.env, BENCH_WEBHOOK_SECRET: SECRET },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  try {
    const port = await new Promise((resolve, reject) => {
      child.once('message', (/** @type {{ port: number }} */ m) => resolve(m.port));
      child.once('exit', (code) => reject(new Error(`${target} exited with ${code}`)));
    });
    const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
    if (warmUp.length > 0) await post(port, agent, warmUp);
    await new Promise((resolve) => {
      child.once('message', resolve);
      child.send({ type: 'mark' });
    });
    const started = monotonicMs();
    const ok = await post(port, agent, bodies);
    const elapsedMs = monotonicMs() - started;
    agent.destroy();
    const report = await new Promise((resolve) => {
      child.once('message', resolve);
      child.send({ type: 'report' });
    });
    const { accepted, unique, cpuUs } =
      /** @type {{ accepted: number, unique: number, cpuUs: number }} */ (report);
    const count = bodies.length;
    const expected = count + warmUp.length;
    return {
      round,
      target,
      count,
      elapsedMs,
      ok,
      accepted,
      unique,
      cpuUs,
      correct: ok === count && accepted === expected && unique === expected,
    };
  } catch (error) {
    return {
      round,
      target,
      count: bodies.length,
      elapsedMs: Number.NaN,
      ok: 0,
      accepted: 0,
      unique: 0,
      cpuUs: Number.NaN,
      correct: false,
      error: String(error),
    };
  } finally {
    child.kill();
  }
}

/**
 * POSTs every body, `IN_FLIGHT` at a time; resolves with the number answered 200.
 * @param {number} port
 * @param {Agent} agent
 * @param {{ body: Buffer, signature: string }[]} bodies
 * @returns {Promise<number>}
 */
function post(port, agent, bodies) {
  let ok = 0;
  let next = 0;
  return new Promise((resolve, reject) => {
    let done = 0;
    const send = () => {
      const item = bodies[next++];
      if (item === undefined) return;
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/webhooks/x',
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': item.body.length,
            'x-twitter-webhooks-signature': item.signature,
          },
        },
        (res) => {
          if (res.statusCode === 200) ok++;
          res.resume();
          res.on('end', () => {
            done++;
            if (done === bodies.length) resolve(ok);
            else send();
          });
        },
      );
      req.on('error', reject);
      req.end(item.body);
    };
    for (let i = 0; i < IN_FLIGHT; i++) send();
  });
}

/**
 * Every target in every round, shuffled.
 * @param {{ count: number, rounds: number, seed: number }} options
 * @param {() => number} random
 * @param {(line: string) => void} log
 * @returns {Promise<WebhookRun[]>}
 */
export async function runWebhookBench(options, random, log) {
  const warmUpCount = Math.min(1_000, Math.ceil(options.count / 5));
  const all = signedSlice(
    buildCorpus(options.count + warmUpCount, options.seed),
    options.count + warmUpCount,
  );
  const warmUp = all.slice(0, warmUpCount);
  const bodies = all.slice(warmUpCount);
  /** @type {WebhookRun[]} */
  const runs = [];
  for (let round = 1; round <= options.rounds; round++) {
    for (const target of shuffled(random, WEBHOOK_TARGETS)) {
      const run = await runWebhookTarget(bodies, target, round, warmUp);
      runs.push(run);
      log(
        `webhooks round ${round} ${target}: ${((run.count / run.elapsedMs) * 1000).toFixed(0)} deliveries/s, ${(run.cpuUs / run.count).toFixed(0)} µs CPU each${run.correct ? '' : ` NOT CORRECT (${run.error ?? `${run.ok} answered 200, ${run.unique} counted`})`}`,
      );
    }
  }
  return runs;
}

/**
 * The webhook table: deliveries per second, the median (min–max) of the per-round ratios
 * to the bare handler, and the CPU time the target process spent per delivery (user + system,
 * from the end of the warm-up to the last answer): the figure that a busy machine disturbs
 * least, since the load generator shares the cores.
 * @param {WebhookRun[]} runs
 */
export function renderWebhookTable(runs) {
  const rounds = [...new Set(runs.map((r) => r.round))];
  const rate = (/** @type {WebhookRun} */ r) => (r.count / r.elapsedMs) * 1000;
  const lines = [
    '### Webhook deliveries per second (node:http, signed bodies of the same corpus)',
    '',
    '| target | deliveries/s (median) | × bare node:http | target CPU µs per delivery (median) | correct |',
    '|---|---:|---:|---:|---:|',
  ];
  for (const target of WEBHOOK_TARGETS) {
    const mine = runs.filter((r) => r.target === target);
    const ratios = rounds.flatMap((round) => {
      const a = mine.find((r) => r.round === round);
      const ref = runs.find((r) => r.round === round && r.target === WEBHOOK_REFERENCE);
      return a && ref && a.correct && ref.correct ? [rate(a) / rate(ref)] : [];
    });
    const { min: lo, max: hi } = range(ratios);
    const correct = mine.filter((r) => r.correct).length;
    lines.push(
      `| ${target === WEBHOOK_REFERENCE ? 'bare node:http (JSON.parse only)' : target} | ${median(mine.map(rate)).toFixed(0)} | ${ratios.length > 0 ? `${median(ratios).toFixed(2)} (${lo.toFixed(2)}–${hi.toFixed(2)})` : 'n/a'} | ${median(mine.map((r) => r.cpuUs / r.count)).toFixed(0)} | ${correct === mine.length ? `all ${mine.length} runs` : `FAIL in ${mine.length - correct} of ${mine.length}`} |`,
    );
  }
  return lines.join('\n');
}
