import type { INGEST_FAMILIES, STREAM_FAMILIES } from './families.js';
import type { IngestFigures, PartitionFigures } from './ingest/ingest-figures.js';
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
  posts: (f, pulled) => one(f.labels, f.pulls ? pulled().posts : f.postsFromEvents),
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
};

/** Every series of one stream family. */
export function streamSamples(
  key: keyof typeof STREAM_FAMILIES,
  streams: Iterable<StreamFigures>,
): Sample[] {
  const sampler = STREAM_SAMPLERS[key];
  const samples: Sample[] = [];
  for (const figures of streams) {
    let cached: PulledFigures | undefined;
    samples.push(...sampler(figures, () => (cached ??= figures.pulled())));
  }
  return samples;
}

type PartitionSampler = (p: PartitionFigures, labels: Record<string, string>) => Sample[];
type WorkerSampler = (w: IngestFigures, labels: Record<string, string>) => Sample[];

const INGEST_SAMPLERS: Record<
  keyof typeof INGEST_FAMILIES,
  { partition: PartitionSampler } | { worker: WorkerSampler }
> = {
  owned: { partition: (p, l) => one(l, p.owned ? 1 : 0) },
  leaseToken: { partition: (p, l) => (p.token === undefined ? [] : one(l, p.token)) },
  claims: { partition: (p, l) => one(l, p.claims) },
  stops: { partition: (p, l) => byKey(l, 'reason', p.stops) },
  written: { partition: (p, l) => one(l, p.writtenTotal) },
  duplicates: { partition: (p, l) => one(l, p.duplicatesTotal) },
  takeoverBackfillSeconds: { partition: (p, l) => one(l, p.takeoverBackfillSeconds) },
  postAge: {
    partition: (p, l) => (p.postAgeMs === undefined ? [] : one(l, p.postAgeMs / 1000)),
  },
  liveWorkers: { worker: (w, l) => (w.liveWorkers === undefined ? [] : one(l, w.liveWorkers)) },
  targetPartitions: {
    worker: (w, l) => (w.targetPartitions === undefined ? [] : one(l, w.targetPartitions)),
  },
  heldPartitions: {
    worker: (w, l) => (w.heldPartitions === undefined ? [] : one(l, w.heldPartitions)),
  },
  errors: { worker: (w, l) => one(l, w.errors) },
};

/** Every series of one ingest family. */
export function ingestSamples(
  key: keyof typeof INGEST_FAMILIES,
  workers: Iterable<IngestFigures>,
): Sample[] {
  const sampler = INGEST_SAMPLERS[key];
  const samples: Sample[] = [];
  for (const worker of workers) {
    if ('worker' in sampler) {
      samples.push(...sampler.worker(worker, { worker: worker.worker }));
      continue;
    }
    for (const partition of worker.partitions.values()) {
      const labels = { worker: worker.worker, partition: String(partition.partition) };
      samples.push(...sampler.partition(partition, labels));
    }
  }
  return samples;
}
