/**
 * What an `Ingestor` reports through `stats()`: one snapshot of the worker
 * and of each partition, for a metrics collector (Prometheus, OpenTelemetry)
 * or a status page. Counts are cumulative for the life of the `Ingestor`
 * (never reset), so a collector can expose them as counters.
 */
export interface IngestorStats {
  /** This worker's name (the lease owner). */
  owner: string;
  /** Live workers of the endpoint after the last lease round, `undefined` before the first. */
  liveWorkers: number | undefined;
  /** How many partitions this worker aims to hold (`ceil(partitions / live workers)`). */
  target: number | undefined;
  /** The partitions this worker reads now, ascending. */
  held: number[];
  /** Every partition this worker has held since it started, held now or not, ascending. */
  partitions: PartitionStats[];
  /** The sums of `partitions`. */
  totals: IngestTotals;
}

/** Cumulative counts, of one partition or of the whole worker. */
export interface IngestTotals {
  /** Messages received from X (posts; keep-alives not counted). */
  received: number;
  /** Messages appended to the Redis stream. */
  written: number;
  /** Messages Redis already had (takeover and backfill replays, redundant connections). */
  duplicates: number;
  /** Reconnects of the partition's connections (X, not Redis). */
  reconnects: number;
  /** `backfill_minutes` asked for, summed over takeovers and reconnects. */
  backfillMinutes: number;
  /** Minutes replayed by recovery (`start_time`/`end_time`) windows that completed. */
  recoveredMinutes: number;
  /** Minutes of a gap that nothing could replay (reported as `unrecoverable`). */
  unrecoverableMinutes: number;
  /** Times the partition was claimed by this worker. */
  claims: number;
  /** Times a claim found another worker's posts to continue from (not the first open). */
  takeovers: number;
  /** Times the partition was lost (taken or expired) or stopped before its lease expired. */
  lost: number;
  /** Times the partition fell behind (a `falling-behind` event). */
  fallingBehind: number;
}

/** One partition as this worker sees it. */
export interface PartitionStats extends IngestTotals {
  partition: number;
  /** True while this worker holds the partition's lease and reads it. */
  held: boolean;
  /** The lease, while held: fencing token and timing (this worker's clock, epoch ms). */
  lease?:
    | {
        token: number;
        /** When the last successful renewal was sent. */
        renewedAt: number;
        /** When Redis lets the lease expire unless renewed. */
        expiresAt: number;
      }
    | undefined;
  /** When this worker claimed it last (epoch ms). */
  claimedAt?: number | undefined;
  /** The worker that held it before the last claim, if another one did. */
  previousOwner?: string | undefined;
  /**
   * While held: now minus the creation time of the newest post received, ms
   * (`undefined` when posts carry no time, or nothing arrived and nothing waits).
   */
  lagMs?: number | undefined;
  /** While held: now minus the creation time of the newest post in Redis (the takeover anchor's age), ms. */
  writeLagMs?: number | undefined;
  /** While held: messages received and not yet confirmed by Redis. */
  pendingWrites: number;
  /** While held: true between `falling-behind` and `caught-up`. */
  behind: boolean;
  /** While held: true while the first connection replays what the previous owner may have missed. */
  replaying: boolean;
  /** While held: recovery windows (`start_time`/`end_time`) started or scheduled and not yet replayed. */
  recovering: number;
}

/** All zeros. */
export function emptyTotals(): IngestTotals {
  return {
    received: 0,
    written: 0,
    duplicates: 0,
    reconnects: 0,
    backfillMinutes: 0,
    recoveredMinutes: 0,
    unrecoverableMinutes: 0,
    claims: 0,
    takeovers: 0,
    lost: 0,
    fallingBehind: 0,
  };
}

/** `into += from`, field by field. */
export function addTotals(into: IngestTotals, from: IngestTotals): IngestTotals {
  for (const key of Object.keys(into) as (keyof IngestTotals)[]) into[key] += from[key];
  return into;
}
