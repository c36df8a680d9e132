// @ts-check
/**
 * One consumer run, in its own process: `node consumer.mjs '<json>'`.
 * Loads the expected digests, imports one adapter from `consumers/`, opens
 * the stream, feeds every delivered post to a {@link Tally}, and stops when
 * it holds every post, sees the end marker, or nothing new arrived for `idleMs`. Prints one line
 * `BENCH_RESULT {json}` on stdout and exits.
 */
import { readFileSync } from 'node:fs';
import { monotonicMs } from './clock.mjs';
import { REQUEST_PARAMS } from './corpus.mjs';
import { Tally } from './tally.mjs';

/**
 * @typedef {object} ConsumerSpec
 * @property {string} consumer adapter name (a file in consumers/)
 * @property {string} baseUrl
 * @property {boolean} gzip ask for gzip
 * @property {string} digestsPath
 * @property {boolean} latency stamp each post's arrival
 * @property {number} idleMs give up after this long without a new post
 */

/**
 * @typedef {object} AdapterContext
 * @property {string} baseUrl origin of the stream server (no trailing slash)
 * @property {string} url the full stream URL with the request parameters
 * @property {typeof REQUEST_PARAMS} params
 * @property {string} bearerToken
 * @property {boolean} gzip whether to ask for gzip
 * @property {(message: unknown) => void} onMessage call with every post the library delivers
 * @property {AbortSignal} signal aborted when the run is over; stop and resolve
 */

/** @typedef {(context: AdapterContext) => Promise<void>} Adapter */

const spec = /** @type {ConsumerSpec} */ (JSON.parse(process.argv[2] ?? '{}'));
const bytes = readFileSync(spec.digestsPath);
const digests = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
const tally = new Tally(digests, spec.latency);
const adapter = /** @type {{ default: Adapter }} */ (
  await import(new URL(`./consumers/${spec.consumer}.mjs`, import.meta.url).href)
).default;

const query = new URLSearchParams(
  Object.entries(REQUEST_PARAMS).map(([key, value]) => [key, value.join(',')]),
).toString();
const controller = new AbortController();
/** @type {string | undefined} */
let error;
const startedAt = monotonicMs();
const cpuAtStart = process.cpuUsage();
tally.lastAt = startedAt;
tally.onComplete = () => controller.abort();
const watchdog = setInterval(() => {
  if (monotonicMs() - tally.lastAt > spec.idleMs) controller.abort();
}, 100);

const aborted = new Promise((resolve) =>
  controller.signal.addEventListener('abort', () => resolve(undefined), { once: true }),
);
try {
  // The run is over once every post is held: a library that is slow to
  // notice the abort does not add to the measurement.
  await Promise.race([
    aborted,
    adapter({
      baseUrl: spec.baseUrl,
      url: `${spec.baseUrl}/2/tweets/search/stream?${query}`,
      params: REQUEST_PARAMS,
      bearerToken: 'bench-token',
      gzip: spec.gzip,
      onMessage: (message) => tally.add(message),
      signal: controller.signal,
    }),
  ]);
} catch (caught) {
  if (!controller.signal.aborted) error = String(/** @type {Error} */ (caught)?.message ?? caught);
}
clearInterval(watchdog);
const cpu = process.cpuUsage(cpuAtStart);

const result = {
  consumer: spec.consumer,
  count: tally.count,
  intact: tally.intact,
  lost: tally.expected - tally.intact,
  corrupted: tally.corrupted,
  duplicates: tally.duplicates,
  checksum: tally.checksum,
  elapsedMs: tally.lastAt - startedAt,
  cpuMs: (cpu.user + cpu.system) / 1000,
  maxRssKB: process.resourceUsage().maxRSS,
  error,
  receivedAt: tally.receivedAt ? Array.from(tally.receivedAt) : undefined,
};
process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`, () => process.exit(0));
