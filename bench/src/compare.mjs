// @ts-check
/**
 * `pnpm bench:compare`: the side-by-side benchmark (see ../README.md).
 *
 * 1. Forks the loopback server and has it prepare every scenario
 *    (identity/gzip × chunking) before anything is timed.
 * 2. Throughput: in each round, for each scenario (shuffled), runs every
 *    consumer once, in a shuffled order, each in a fresh `node` process.
 * 3. Memory: the same at 4N (log-uniform chunks), for peak RSS flatness.
 * 4. Latency: posts paced at `--rate`, one post per write; the server
 *    stamps each post's last-byte write, the consumer each post's arrival.
 * 5. Prints the tables and writes JSON + markdown to bench/results/.
 *
 * Exit code 1 when the harness is broken: the reference or a birdstream
 * consumer was not correct in some run, or a consumer produced no result.
 * Peers that lose or corrupt posts are reported as FAIL rows, not as a
 * harness failure.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHUNKINGS } from './chunking.mjs';
import { CONSUMERS } from './consumers/index.mjs';
import { parseOptions } from './options.mjs';
import { seededRandom, shuffled } from './random.mjs';
import { labelOf, latencyOf, RAW, renderTables } from './report.mjs';
import { runConsumer } from './run-consumer.mjs';
import { findRuntime } from './runtimes.mjs';
import { ServerHandle } from './server-handle.mjs';
import { renderWebhookTable, runWebhookBench } from './webhooks/webhook-bench.mjs';

const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));
const ENCODINGS = /** @type {const} */ (['identity', 'gzip']);

const log = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);
const options = parseOptions(process.argv.slice(2));
checkBuilt();
const started = Date.now();
const loadAtStart = loadavg();
const random = seededRandom(options.seed ^ 0x0bad5eed);
const workDir = mkdtempSync(join(tmpdir(), 'birdstream-bench-'));

/** @type {import('./report.mjs').RunRecord[]} */
const runs = [];
/** @type {Record<string, import('./server-handle.mjs').PreparedInfo>} */
const preparedInfo = {};

const server = await ServerHandle.start(workDir);
try {
  log(
    `bench:compare ${options.mode}: N=${options.count}, ${options.rounds} round(s), ${options.consumers.length} consumers, server ${server.baseUrl}`,
  );

  // Throughput at N.
  const scenarios = ENCODINGS.flatMap((encoding) =>
    CHUNKINGS.map((chunking) => ({ encoding, chunking })),
  );
  const keyOf = (
    /** @type {string} */ encoding,
    /** @type {string} */ chunking,
    /** @type {number} */ count,
  ) => `${encoding}/${chunking}/${count}`;
  for (const { encoding, chunking } of scenarios) {
    await prepare(encoding, chunking, options.count);
  }
  for (let round = 1; round <= options.rounds; round++) {
    for (const { encoding, chunking } of shuffled(random, scenarios)) {
      await runRound('throughput', round, encoding, chunking, options.count);
    }
  }
  for (const { encoding, chunking } of scenarios)
    server.drop(keyOf(encoding, chunking, options.count));

  // Peak RSS at 4N.
  const rssCount = options.rss ? options.count * 4 : undefined;
  if (rssCount) {
    for (const encoding of ENCODINGS) await prepare(encoding, 'log-uniform', rssCount);
    for (let round = 1; round <= options.rounds; round++) {
      for (const encoding of shuffled(random, ENCODINGS)) {
        await runRound('rss', round, encoding, 'log-uniform', rssCount);
      }
    }
    for (const encoding of ENCODINGS) server.drop(keyOf(encoding, 'log-uniform', rssCount));
  }

  // Latency at a paced rate.
  if (options.latencyCount > 0) {
    for (const encoding of ENCODINGS) await prepare(encoding, 'per-message', options.latencyCount);
    for (let round = 1; round <= options.rounds; round++) {
      for (const encoding of shuffled(random, ENCODINGS)) {
        await runRound('latency', round, encoding, 'per-message', options.latencyCount);
      }
    }
  }

  // Webhooks: verified deliveries per second beside a bare node:http JSON handler.
  const webhookRuns = await runWebhookBench(options, random, log);

  const tables = renderTables(runs, {
    consumers: options.consumers,
    chunkings: CHUNKINGS,
    count: options.count,
    rssCount,
    latencyCount: options.latencyCount,
    paceRate: options.paceRate,
  });
  const meta = metadata();
  const header = [
    `## bench:compare (${options.mode})`,
    '',
    `\`${meta.command}\` on ${meta.date}: Node ${process.version}, ${meta.machine.cpus}× ${meta.machine.cpuModel}, load average ${meta.loadAverage.start.map((/** @type {number} */ l) => l.toFixed(1)).join(' ')} at start, ${meta.loadAverage.end.map((/** @type {number} */ l) => l.toFixed(1)).join(' ')} at end; ${meta.durationS.toFixed(0)} s. Commit ${meta.commit}. Peers: ${Object.entries(
      meta.versions,
    )
      .map(([name, version]) => `${name} ${version}`)
      .join(', ')}.`,
    '',
    `N = ${options.count.toLocaleString('en-US')} posts (${((preparedInfo[keyOf('identity', 'per-message', options.count)]?.plainBytes ?? 0) / 1e6).toFixed(1)} MB plain, ${((preparedInfo[keyOf('gzip', 'log-uniform', options.count)]?.wireBytes ?? 0) / 1e6).toFixed(1)} MB gzip log-uniform), ${options.rounds} interleaved round(s), seed ${options.seed}. Cells: throughput × raw node:http, median of paired per-round ratios (min–max); above 1 is faster than raw.`,
    '',
  ].join('\n');
  const markdown = `${header}\n${tables}\n\n${renderWebhookTable(webhookRuns)}\n`;
  process.stdout.write(`\n${markdown}`);

  const out =
    options.out ??
    join(BENCH_DIR, 'results', `${meta.date.replaceAll(':', '-')}-${options.mode}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify({ meta, options, prepared: preparedInfo, runs, webhookRuns }, null, 2)}\n`,
  );
  writeFileSync(out.replace(/\.json$/, '.md'), markdown);
  log(`\nresults: ${out}`);

  const strict = new Set([
    RAW,
    'raw-fetch',
    'birdstream-core',
    'birdstream-core-tolerant',
    'birdstream-core-strict',
    'birdstream-rx',
    'birdstream-core-bun',
    'birdstream-core-deno',
  ]);
  const broken = [
    ...runs.filter(
      (r) => (strict.has(r.consumer) && !r.correct) || r.error?.startsWith('no result'),
    ),
    ...webhookRuns
      .filter((r) => !r.correct)
      .map((r) => ({
        phase: 'webhooks',
        encoding: '',
        chunking: '',
        consumer: r.target,
        lost: r.count - r.unique,
        corrupted: 0,
        error: r.error,
      })),
  ];
  if (broken.length > 0) {
    log(
      `harness check FAILED: ${broken.length} run(s) of reference/birdstream consumers were not correct or produced no result:`,
    );
    for (const r of broken.slice(0, 10)) {
      log(
        `  ${r.phase} ${r.encoding} ${r.chunking} ${r.consumer}: lost ${r.lost}, corrupted ${r.corrupted}, ${r.error ?? ''}`,
      );
    }
    process.exitCode = 1;
  }
} finally {
  await server.stop();
  rmSync(workDir, { recursive: true, force: true });
}

/**
 * @param {'identity' | 'gzip'} encoding
 * @param {import('./chunking.mjs').Chunking} chunking
 * @param {number} count
 */
async function prepare(encoding, chunking, count) {
  const key = `${encoding}/${chunking}/${count}`;
  const info = await server.prepare({ key, count, seed: options.seed, chunking, encoding });
  preparedInfo[key] = info;
  log(
    `prepared ${key}: ${(info.plainBytes / 1e6).toFixed(1)} MB plain, ${(info.wireBytes / 1e6).toFixed(1)} MB on the wire in ${info.writes} writes (${info.prepareMs.toFixed(0)} ms)`,
  );
}

/**
 * Every consumer once, in a shuffled order, on one scenario.
 * @param {'throughput' | 'rss' | 'latency'} phase
 * @param {number} round
 * @param {'identity' | 'gzip'} encoding
 * @param {import('./chunking.mjs').Chunking} chunking
 * @param {number} count
 */
async function runRound(phase, round, encoding, chunking, count) {
  const key = `${encoding}/${chunking}/${count}`;
  const info = /** @type {import('./server-handle.mjs').PreparedInfo} */ (preparedInfo[key]);
  const paceRate = phase === 'latency' ? options.paceRate : undefined;
  for (const consumer of shuffled(random, options.consumers)) {
    // Latency compares the server's and the consumer's monotonic clocks, which only Node
    // processes share (process.hrtime is the system clock there, not in Bun or Deno).
    if (phase === 'latency' && CONSUMERS.find((c) => c.file === consumer)?.runtime) continue;
    await server.arm(key, paceRate);
    const result = await runConsumer(
      {
        consumer,
        baseUrl: server.baseUrl,
        gzip: encoding === 'gzip',
        digestsPath: info.digestsPath,
        latency: phase === 'latency',
        idleMs: options.idleMs,
      },
      60_000 + count * (paceRate ? 1000 / paceRate + 2 : 2),
    );
    const served = await server.served(key);
    const checksumOk = result.checksum === info.expectedChecksum;
    /** @type {import('./report.mjs').RunRecord} */
    const record = {
      phase,
      round,
      encoding,
      chunking,
      count,
      consumer,
      elapsedMs: result.elapsedMs,
      cpuMs: result.cpuMs,
      maxRssMB: result.maxRssKB / 1024,
      delivered: result.count,
      lost: result.lost,
      corrupted: result.corrupted,
      duplicates: result.duplicates,
      checksumOk,
      error: result.error,
      servedEncoding: served?.encoding,
      correct:
        !result.error &&
        result.lost === 0 &&
        result.corrupted === 0 &&
        result.duplicates === 0 &&
        checksumOk,
      latency: phase === 'latency' ? latencyOf(served?.sentAt, result.receivedAt) : undefined,
    };
    runs.push(record);
    const lat = record.latency ? ` p99 ${record.latency.p99.toFixed(2)} ms` : '';
    log(
      `${phase} r${round} ${key.padEnd(28)} ${labelOf(consumer).padEnd(36)} ${record.elapsedMs.toFixed(0).padStart(6)} ms ${record.maxRssMB.toFixed(0).padStart(4)} MB${lat}${record.correct ? '' : `  FAIL lost ${record.lost} corrupted ${record.corrupted} ${record.error ?? ''}`}`,
    );
  }
}

/**
 * The birdstream consumers import the built packages (`dist/`), as a user
 * does: stop when a build is missing, warn when `src/` is newer.
 */
function checkBuilt() {
  for (const name of ['core', 'rx', 'webhooks']) {
    const pkg = join(BENCH_DIR, '..', 'packages', name);
    const dist = join(pkg, 'dist', 'index.js');
    if (!existsSync(dist)) {
      log(
        `packages/${name}/dist is missing: run \`pnpm build\` (or use \`pnpm bench:compare\`, which builds first).`,
      );
      process.exit(1);
    }
    const built = statSync(dist).mtimeMs;
    const newer = readdirSync(join(pkg, 'src'), { recursive: true, withFileTypes: true }).some(
      (entry) => entry.isFile() && statSync(join(entry.parentPath, entry.name)).mtimeMs > built,
    );
    if (newer)
      log(
        `warning: packages/${name}/src changed after its last build; the run measures the old dist/.`,
      );
  }
}

function metadata() {
  /** @type {Record<string, string>} */
  const versions = {};
  for (const name of [
    '@birdstream/core',
    '@birdstream/rx',
    'twitter-api-v2',
    'twitter-api-sdk',
    '@xdevplatform/xdk',
  ]) {
    try {
      versions[name] = JSON.parse(
        readFileSync(join(BENCH_DIR, 'node_modules', name, 'package.json'), 'utf8'),
      ).version;
    } catch {
      versions[name] = 'not installed';
    }
  }
  for (const runtime of ['bun', 'deno']) {
    const found = findRuntime(runtime);
    versions[runtime] = 'version' in found ? found.version : 'not installed';
  }
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: BENCH_DIR,
      encoding: 'utf8',
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', '../packages'], {
      cwd: BENCH_DIR,
      encoding: 'utf8',
    }).trim();
    if (dirty) commit += ' (packages/ modified)';
  } catch {}
  const args = process.argv.slice(2).join(' ');
  return {
    command: `pnpm bench:compare${args ? ` ${args}` : ''}`,
    date: new Date(started).toISOString().slice(0, 19).concat('Z'),
    durationS: (Date.now() - started) / 1000,
    node: process.version,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      platform: `${platform()} ${release()}`,
      memoryGB: Math.round(totalmem() / 2 ** 30),
    },
    loadAverage: { start: loadAtStart, end: loadavg() },
    commit,
    versions,
    consumers: CONSUMERS.filter((c) => options.consumers.includes(c.file)),
  };
}
