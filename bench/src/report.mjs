// @ts-check
/**
 * Aggregates run records into the summary and detail tables (markdown).
 * Throughput ratios are paired: in each round, raw node:http's time on a
 * scenario divided by the consumer's time on the same scenario; the cell is
 * the median of those ratios and their min–max. Above 1 is faster than raw.
 */
import { CONSUMERS } from './consumers/index.mjs';
import { median, percentile, range } from './stats.mjs';

/**
 * @typedef {object} RunRecord
 * @property {'throughput' | 'rss' | 'latency'} phase
 * @property {number} round
 * @property {'identity' | 'gzip'} encoding
 * @property {import('./chunking.mjs').Chunking} chunking
 * @property {number} count posts in the corpus
 * @property {string} consumer
 * @property {number} elapsedMs
 * @property {number} cpuMs
 * @property {number} maxRssMB
 * @property {number} delivered objects the library handed over
 * @property {number} lost
 * @property {number} corrupted
 * @property {number} duplicates
 * @property {boolean} checksumOk
 * @property {string | undefined} error
 * @property {string | undefined} servedEncoding
 * @property {boolean} correct
 * @property {{ p50: number, p99: number, max: number, samples: number } | undefined} latency
 */

export const RAW = 'raw-http';
const ENCODINGS = /** @type {const} */ (['identity', 'gzip']);

/** @param {string} file */
export function labelOf(file) {
  return CONSUMERS.find((c) => c.file === file)?.label ?? file;
}

/** @param {number} value @param {number} [digits] */
function fmt(value, digits = 2) {
  return Number.isFinite(value) ? value.toFixed(digits) : '—';
}

/** @param {readonly RunRecord[]} runs */
function failNote(runs) {
  const bad = runs.filter((r) => !r.correct);
  if (bad.length === 0) return '';
  const lost = Math.max(...bad.map((r) => (Number.isFinite(r.lost) ? r.lost : 0)));
  const corrupted = Math.max(...bad.map((r) => r.corrupted));
  const errored = bad.find((r) => r.error);
  const parts = [];
  if (lost) parts.push(`lost ≤${lost}`);
  if (corrupted) parts.push(`corrupted ≤${corrupted}`);
  if (bad.some((r) => r.duplicates)) parts.push('duplicates');
  if (!lost && !corrupted && bad.some((r) => !r.checksumOk)) parts.push('out of order');
  if (errored) parts.push(`error: ${String(errored.error).slice(0, 80)}`);
  return `FAIL in ${bad.length} of ${runs.length} runs (${parts.join(', ')})`;
}

/**
 * Paired ratios raw/consumer for one scenario.
 * @param {readonly RunRecord[]} runs throughput runs of one scenario
 * @param {string} consumer
 * @param {'elapsedMs' | 'cpuMs'} [field] wall time (default) or CPU time
 */
export function ratios(runs, consumer, field = 'elapsedMs') {
  /** @type {number[]} */
  const out = [];
  for (const run of runs) {
    if (run.consumer !== consumer) continue;
    const raw = runs.find((r) => r.consumer === RAW && r.round === run.round);
    if (raw && Number.isFinite(raw[field]) && run[field] > 0) out.push(raw[field] / run[field]);
  }
  return out;
}

/**
 * @param {readonly RunRecord[]} runs
 * @param {(r: RunRecord) => boolean} where
 */
function select(runs, where) {
  return runs.filter(where);
}

/**
 * @param {readonly RunRecord[]} all
 * @param {{ consumers: string[], chunkings: readonly string[], count: number, rssCount: number | undefined, latencyCount: number, paceRate: number }} shape
 */
export function renderTables(all, shape) {
  const throughput = select(all, (r) => r.phase === 'throughput');
  const lines = [];
  const scenarios = ENCODINGS.flatMap((encoding) =>
    shape.chunkings.map((chunking) => ({ encoding, chunking })),
  );

  // Summary.
  const head = ['consumer', ...scenarios.map((s) => `${s.encoding} ${s.chunking}`)];
  head.push(`peak RSS MB at N (id / gzip)`);
  if (shape.rssCount) head.push('at 4N (id / gzip)');
  if (shape.latencyCount) head.push(`p99 ms at ${shape.paceRate}/s (id / gzip)`);
  head.push('correct');
  lines.push(
    `| ${head.join(' | ')} |`,
    `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
  );
  for (const consumer of shape.consumers) {
    const row = [labelOf(consumer)];
    for (const { encoding, chunking } of scenarios) {
      const scenarioRuns = select(
        throughput,
        (r) => r.encoding === encoding && r.chunking === chunking,
      );
      const own = scenarioRuns.filter((r) => r.consumer === consumer);
      const rs = ratios(scenarioRuns, consumer);
      const { min, max } = range(rs);
      const fail = own.some((r) => !r.correct) ? 'FAIL ' : '';
      const served = own.some((r) => r.servedEncoding && r.servedEncoding !== encoding) ? ' †' : '';
      row.push(
        rs.length ? `${fail}${fmt(median(rs))} (${fmt(min)}–${fmt(max)})${served}` : `${fail}—`,
      );
    }
    const rssAt = (/** @type {'throughput' | 'rss'} */ phase) =>
      ENCODINGS.map((encoding) =>
        fmt(
          median(
            select(
              all,
              (r) =>
                r.phase === phase &&
                r.consumer === consumer &&
                r.encoding === encoding &&
                r.chunking === 'log-uniform',
            ).map((r) => r.maxRssMB),
          ),
          0,
        ),
      ).join(' / ');
    row.push(rssAt('throughput'));
    if (shape.rssCount) row.push(rssAt('rss'));
    if (shape.latencyCount) {
      row.push(
        ENCODINGS.map((encoding) => {
          const lat = select(
            all,
            (r) => r.phase === 'latency' && r.consumer === consumer && r.encoding === encoding,
          );
          const fail = lat.some((r) => !r.correct) ? 'FAIL ' : '';
          return `${fail}${fmt(median(lat.map((r) => r.latency?.p99 ?? Number.NaN)), 1)}`;
        }).join(' / '),
      );
    }
    const phaseRuns = select(all, (r) => r.consumer === consumer);
    const note = failNote(phaseRuns);
    row.push(note || `all ${phaseRuns.length} runs`);
    lines.push(`| ${row.join(' | ')} |`);
  }

  // The same ratios from CPU time: less disturbed by other work on the machine.
  lines.push(
    '',
    "### CPU-time ratios (× raw node:http; raw CPU time ÷ the consumer's, median of paired rounds)",
    '',
    `| consumer | ${scenarios.map((s) => `${s.encoding} ${s.chunking}`).join(' | ')} |`,
    `|---|${scenarios.map(() => '---:').join('|')}|`,
  );
  for (const consumer of shape.consumers) {
    const cells = scenarios.map(({ encoding, chunking }) => {
      const rs = ratios(
        select(throughput, (r) => r.encoding === encoding && r.chunking === chunking),
        consumer,
        'cpuMs',
      );
      const { min, max } = range(rs);
      return rs.length ? `${fmt(median(rs))} (${fmt(min)}–${fmt(max)})` : '—';
    });
    lines.push(`| ${labelOf(consumer)} | ${cells.join(' | ')} |`);
  }

  // Details per scenario.
  lines.push('', `### Throughput, N = ${shape.count.toLocaleString('en-US')} posts`, '');
  const dhead = [
    'scenario',
    'consumer',
    'median ms',
    'min–max ms',
    'posts/s',
    '× raw (min–max)',
    'CPU ms',
    'peak RSS MB',
    'runs',
  ];
  lines.push(
    `| ${dhead.join(' | ')} |`,
    `|---|---|${dhead
      .slice(2)
      .map(() => '---:')
      .join('|')}|`,
  );
  for (const { encoding, chunking } of scenarios) {
    const scenarioRuns = select(
      throughput,
      (r) => r.encoding === encoding && r.chunking === chunking,
    );
    for (const consumer of shape.consumers) {
      const own = scenarioRuns.filter((r) => r.consumer === consumer);
      if (own.length === 0) continue;
      const elapsed = own.map((r) => r.elapsedMs);
      const { min, max } = range(elapsed);
      const rs = ratios(scenarioRuns, consumer);
      const rr = range(rs);
      const med = median(elapsed);
      lines.push(
        `| ${encoding} ${chunking} | ${labelOf(consumer)} | ${fmt(med, 0)} | ${fmt(min, 0)}–${fmt(max, 0)} | ${fmt((shape.count * 1000) / med, 0)} | ${fmt(median(rs))} (${fmt(rr.min)}–${fmt(rr.max)}) | ${fmt(median(own.map((r) => r.cpuMs)), 0)} | ${fmt(median(own.map((r) => r.maxRssMB)), 0)} | ${failNote(own) || `${own.length} ok`} |`,
      );
    }
  }

  if (shape.latencyCount) {
    lines.push(
      '',
      `### Delivery latency, ${shape.latencyCount.toLocaleString('en-US')} posts at ${shape.paceRate}/s, one post per write (first ${LATENCY_WARMUP * 100} % not counted: warm-up)`,
      '',
      '| encoding | consumer | p50 ms | p99 ms (min–max over rounds) | max ms | runs |',
      '|---|---|---:|---:|---:|---:|',
    );
    for (const encoding of ENCODINGS) {
      for (const consumer of shape.consumers) {
        const own = select(
          all,
          (r) => r.phase === 'latency' && r.consumer === consumer && r.encoding === encoding,
        );
        if (own.length === 0) continue;
        const p99s = own.map((r) => r.latency?.p99 ?? Number.NaN);
        const { min, max } = range(p99s);
        lines.push(
          `| ${encoding} | ${labelOf(consumer)} | ${fmt(median(own.map((r) => r.latency?.p50 ?? Number.NaN)), 2)} | ${fmt(median(p99s), 2)} (${fmt(min, 2)}–${fmt(max, 2)}) | ${fmt(Math.max(...own.map((r) => r.latency?.max ?? Number.NaN)), 1)} | ${failNote(own) || `${own.length} ok`} |`,
        );
      }
    }
  }
  return lines.join('\n');
}

/** The first quarter of a latency run is warm-up (a fresh process compiling its hot paths). */
export const LATENCY_WARMUP = 0.25;

/**
 * Latency of one run: consumer hold time minus the server's write time of
 * each post's last byte, over the posts delivered intact after the warm-up.
 * @param {number[] | undefined} sentAt
 * @param {number[] | undefined} receivedAt
 */
export function latencyOf(sentAt, receivedAt) {
  if (!sentAt || !receivedAt) return undefined;
  /** @type {number[]} */
  const values = [];
  for (let i = Math.floor(receivedAt.length * LATENCY_WARMUP); i < receivedAt.length; i++) {
    const got = /** @type {number} */ (receivedAt[i]);
    const sent = /** @type {number} */ (sentAt[i]);
    if (got > 0 && sent > 0) values.push(got - sent);
  }
  if (values.length === 0) return undefined;
  return {
    p50: percentile(values, 50),
    p99: percentile(values, 99),
    max: Math.max(...values),
    samples: values.length,
  };
}
