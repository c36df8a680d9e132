import type { IngestTotals, PartitionStats } from '@birdstream/redis';
import type { INGEST_FAMILIES, STREAM_FAMILIES } from './families.js';
import type { IngestFigures, PartitionSnapshot, WorkerSnapshot } from './ingest/ingest-figures.js';
import { type PulledFigures, STREAM_STATES, type StreamFigures } from './stream/stream-figures.js';

/** One series' value at a scrape. */
export interface Sample {
  labels: Record<string, string>;
  value: number;
}

type StreamSampler = (figures: StreamFigures, pulled: () => PulledFigures) => Sample[];

const one = (labels: Record<string, string>, value: number): Sample[] => [{ labels, value }];
const byKey = (
  labels: Record<string, string>,
  label: string,
  map: ReadonlyMap<string, number>,
): Sample[] => [...map].map(([key, value]) => ({ labels: { ...labels, [label]: key }, value }));
const quantiles = (
  labels: Record<string, string>,
  spread: { p50: number; max: number } | undefined,
): Sample[] =>
  spread === undefined
    ? []
    : [
        { labels: { ...labels, quantile: '0.5' }, value: spread.p50 / 1000 },
        { labels: { ...labels, quantile: '1' }, value: spread.max / 1000 },
      ];

/** How each stream family reads a stream's figures (`pulled` reads its `stats`, once per scrape). */
const STREAM_SAMPLERS: Record<keyof typeof STREAM_FAMILIES, StreamSampler> = {
  posts: (f, pulled) =>
    f.pulls
      ? one(f.labels, pulled().posts)
      : f.countsResponses
        ? one(f.labels, f.postsFromEvents)
        : [],
  messages: (f, pulled) => (f.pulls ? one(f.labels, pulled().messages) : []),
  keepAlives: (f) => one(f.labels, f.keepAlives),
  bytes: (f, pulled) => (f.pulls ? one(f.labels, pulled().bytes) : []),
  duplicates: (f) => one(f.labels, f.duplicates),
  invalid: (f) => byKey(f.labels, 'kind', f.invalid),
  connections: (f) => one(f.labels, f.connections),
  reconnects: (f) => byKey(f.labels, 'reason', f.reconnects),
  stalls: (f) => one(f.labels, f.stalls),
  backfills: (f) => one(f.labels, f.backfills),
  backfillSeconds: (f) => one(f.labels, f.backfillSeconds),
  recoveries: (f) =>
    byKey(f.labels, 'outcome', new Map([...f.recoveries].map(([k, v]) => [k, v.windows]))),
  recoverySeconds: (f) =>
    byKey(f.labels, 'outcome', new Map([...f.recoveries].map(([k, v]) => [k, v.seconds]))),
  recoveredPosts: (f) => one(f.labels, f.recoveredPosts),
  state: (f) =>
    STREAM_STATES.map((state) => ({
      labels: { ...f.labels, state },
      value: f.state === state ? 1 : 0,
    })),
  lastByte: (f, pulled) => {
    const at = f.pulls ? pulled().lastByteAt : undefined;
    return at === undefined ? [] : one(f.labels, at / 1000);
  },
  postAge: (f) => quantiles(f.labels, f.lag?.ageMs),
  hold: (f) => quantiles(f.labels, f.lag?.holdMs),
  busy: (f) => (f.lag === undefined ? [] : one(f.labels, f.lag.consumerShare)),
  fallingBehind: (f) =>
    f.lag === undefined
      ? []
      : (['posts-aging', 'consumer-saturated'] as const).map((reason) => ({
          labels: { ...f.labels, reason },
          value: f.lag?.fallingBehind === reason ? 1 : 0,
        })),
  schemaDrift: (f, pulled) => (f.pulls ? byKey(f.labels, 'kind', pulled().drift) : []),
  unrecognized: (f, pulled) => (f.pulls ? one(f.labels, pulled().unrecognized) : []),
};

/** Every series of one stream family. */
export function streamSamples(
  key: keyof typeof STREAM_FAMILIES,
  streams: Iterable<StreamFigures>,
): Sample[] {
  const sampler = STREAM_SAMPLERS[key];
  const samples: Sample[] = [];
  for (const figures of streams) samples.push(...sampler(figures, () => figures.pulled()));
  return samples;
}

type PartitionSampler = (p: PartitionSnapshot, labels: Record<string, string>) => Sample[];
type WorkerSampler = (
  w: WorkerSnapshot,
  figures: IngestFigures,
  labels: Record<string, string>,
) => Sample[];

/** A cumulative count of `stats()`, times `factor` (minutes to seconds). */
const total =
  (key: keyof IngestTotals, factor = 1): PartitionSampler =>
  (p, l) =>
    p.totals === undefined ? [] : one(l, p.totals[key] * factor);
/** A figure of the partition in `stats()` now, when it has one. */
const live =
  (read: (p: PartitionStats) => number | boolean | undefined): PartitionSampler =>
  (p, l) => {
    const value = p.live === undefined ? undefined : read(p.live);
    return value === undefined ? [] : one(l, Number(value));
  };
const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

const INGEST_SAMPLERS: Record<
  keyof typeof INGEST_FAMILIES,
  { partition: PartitionSampler } | { worker: WorkerSampler }
> = {
  owned: { partition: live((p) => p.held) },
  leaseToken: { partition: live((p) => p.lease?.token) },
  leaseRenewed: { partition: live((p) => seconds(p.lease?.renewedAt)) },
  leaseExpiry: { partition: live((p) => seconds(p.lease?.expiresAt)) },
  claimedAt: { partition: live((p) => (p.held ? seconds(p.claimedAt) : undefined)) },
  claims: { partition: total('claims') },
  takeovers: { partition: total('takeovers') },
  lost: { partition: total('lost') },
  stops: {
    partition: (p, l) => (p.events === undefined ? [] : byKey(l, 'reason', p.events.stops)),
  },
  received: { partition: total('received') },
  written: { partition: total('written') },
  duplicates: { partition: total('duplicates') },
  reconnects: { partition: total('reconnects') },
  backfillSeconds: { partition: total('backfillMinutes', 60) },
  takeoverBackfillSeconds: {
    partition: (p, l) => one(l, p.events?.takeoverBackfillSeconds ?? 0),
  },
  recoveredSeconds: { partition: total('recoveredMinutes', 60) },
  unrecoverableSeconds: { partition: total('unrecoverableMinutes', 60) },
  fallingBehind: { partition: total('fallingBehind') },
  behind: { partition: live((p) => p.behind) },
  replaying: { partition: live((p) => p.replaying) },
  recovering: { partition: live((p) => p.recovering) },
  pendingWrites: { partition: live((p) => p.pendingWrites) },
  postAge: { partition: live((p) => seconds(p.lagMs)) },
  writeLag: { partition: live((p) => seconds(p.writeLagMs)) },
  liveWorkers: { worker: (w, _, l) => optional(l, w.live?.liveWorkers) },
  targetPartitions: { worker: (w, _, l) => optional(l, w.live?.target) },
  heldPartitions: { worker: (w, _, l) => optional(l, w.live?.held.length) },
  errors: { worker: (_, f, l) => one(l, f.errors) },
};

function optional(labels: Record<string, string>, value: number | undefined): Sample[] {
  return value === undefined ? [] : one(labels, value);
}

/** Every series of one ingest family. */
export function ingestSamples(
  key: keyof typeof INGEST_FAMILIES,
  workers: Iterable<IngestFigures>,
): Sample[] {
  const sampler = INGEST_SAMPLERS[key];
  const samples: Sample[] = [];
  for (const figures of workers) {
    const worker = figures.snapshot();
    if ('worker' in sampler) {
      samples.push(...sampler.worker(worker, figures, { worker: figures.worker }));
      continue;
    }
    for (const partition of worker.partitions) {
      const labels = { worker: figures.worker, partition: String(partition.partition) };
      samples.push(...sampler.partition(partition, labels));
    }
  }
  return samples;
}
