import type { IngestorStats, IngestTotals, PartitionStats } from '@birdstream/redis';

/** The cumulative counts of `IngestTotals`, listed once (the type below keeps the list whole). */
export const TOTAL_KEYS = [
  'received',
  'written',
  'duplicates',
  'reconnects',
  'backfillMinutes',
  'recoveredMinutes',
  'unrecoverableMinutes',
  'claims',
  'takeovers',
  'lost',
  'fallingBehind',
] as const satisfies readonly (keyof IngestTotals)[];

// A count the Ingestor gains must be added to TOTAL_KEYS (and get a family): this fails to compile until it is.
type Unlisted = Exclude<keyof IngestTotals, (typeof TOTAL_KEYS)[number]>;
const everyTotalListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyTotalListed;

function zeros(): IngestTotals {
  return Object.fromEntries(TOTAL_KEYS.map((key) => [key, 0])) as unknown as IngestTotals;
}

function add(into: IngestTotals, from: IngestTotals): void {
  for (const key of TOTAL_KEYS) into[key] += from[key];
}

/** What only events tell about a partition (the Ingestor's `stats()` lacks it). */
export class PartitionEventFigures {
  /** `stopped` events by reason. */
  readonly stops = new Map<string, number>();
  /** `takeover-backfill` minutes x 60. */
  takeoverBackfillSeconds = 0;
}

/** One partition at a scrape. */
export interface PartitionSnapshot {
  partition: number;
  /** Cumulative counts: what untracked Ingestors left plus the tracked ones' `stats()`. */
  totals: IngestTotals | undefined;
  /** The partition in a tracked Ingestor's `stats()` now (its gauges); `undefined` when none lists it. */
  live: PartitionStats | undefined;
  events: PartitionEventFigures | undefined;
}

/** One worker at a scrape. */
export interface WorkerSnapshot {
  worker: string;
  /** The worker's `stats()` now; `undefined` when no Ingestor of this worker is tracked. */
  live: IngestorStats | undefined;
  /** Every partition known, ascending. */
  partitions: PartitionSnapshot[];
}

/**
 * The figures of one ingest worker (an `Ingestor`'s `owner`). Counts and
 * gauges come from the tracked Ingestors' `stats()`, read once per scrape
 * (every family of one `registry.metrics()` sees the same snapshot); only
 * what `stats()` lacks is counted from events. An Ingestor untracked
 * leaves its last counts behind, so a worker's counters never go back.
 */
export class IngestFigures {
  readonly events = new Map<number, PartitionEventFigures>();
  errors = 0;
  /** Counts untracked Ingestors left, per partition. */
  readonly #base = new Map<number, IngestTotals>();
  readonly #sources = new Set<() => IngestorStats>();
  #snapshot: WorkerSnapshot | undefined;

  constructor(readonly worker: string) {}

  /** The event figures of `partition`. */
  partition(partition: number): PartitionEventFigures {
    let figures = this.events.get(partition);
    if (figures === undefined) {
      figures = new PartitionEventFigures();
      this.events.set(partition, figures);
    }
    return figures;
  }

  /** Reads `stats` at every scrape; the returned function folds its last counts in and stops. */
  attach(stats: () => IngestorStats): () => void {
    this.#sources.add(stats);
    this.#snapshot = undefined;
    return () => {
      if (!this.#sources.delete(stats)) return;
      for (const partition of stats().partitions) {
        const base = this.#base.get(partition.partition) ?? zeros();
        add(base, partition);
        this.#base.set(partition.partition, base);
      }
      this.#snapshot = undefined;
    };
  }

  /**
   * The worker now. One `stats()` per tracked Ingestor per scrape: the
   * snapshot is kept until the current task's microtasks have run, which
   * covers every family's `collect()` of one `registry.metrics()`.
   */
  snapshot(): WorkerSnapshot {
    if (this.#snapshot !== undefined) return this.#snapshot;
    const snapshot = this.#take();
    this.#snapshot = snapshot;
    queueMicrotask(() => {
      if (this.#snapshot === snapshot) this.#snapshot = undefined;
    });
    return snapshot;
  }

  #take(): WorkerSnapshot {
    const totals = new Map<number, IngestTotals>();
    for (const [partition, base] of this.#base) {
      const sum = zeros();
      add(sum, base);
      totals.set(partition, sum);
    }
    const live = new Map<number, PartitionStats>();
    let worker: IngestorStats | undefined;
    for (const source of this.#sources) {
      const stats = source();
      worker = stats;
      for (const partition of stats.partitions) {
        const sum = totals.get(partition.partition) ?? zeros();
        add(sum, partition);
        totals.set(partition.partition, sum);
        // Two Ingestors of one owner tracked at once: the one holding the partition speaks for it.
        const known = live.get(partition.partition);
        if (known === undefined || !known.held) live.set(partition.partition, partition);
      }
    }
    const numbers = new Set([...totals.keys(), ...live.keys(), ...this.events.keys()]);
    const partitions = [...numbers]
      .sort((a, b) => a - b)
      .map((partition) => ({
        partition,
        totals: totals.get(partition),
        live: live.get(partition),
        events: this.events.get(partition),
      }));
    return { worker: this.worker, live: worker, partitions };
  }
}
