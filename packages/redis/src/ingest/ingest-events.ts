import type { BirdstreamError, StreamLifecycleEvent } from '@birdstream/core';
import type { LeaseEndReason } from '../lease/partition-leases.js';
import type { PartitionStats } from './ingest-stats.js';

/** Everything an `Ingestor` reports besides the messages it writes. */
export type IngestEvent =
  | ClaimedEvent
  | TakeoverBackfillEvent
  | UnrecoverableEvent
  | PartitionStoppedEvent
  | ProgressEvent
  | FallingBehindIngestEvent
  | CaughtUpIngestEvent
  | BalanceEvent
  | PartitionStreamEvent
  | IngestErrorEvent;

/** This worker claimed `partition` and opens its connection. */
export interface ClaimedEvent {
  type: 'claimed';
  partition: number;
  owner: string;
  /** The fencing token of the claim. */
  token: number;
  /** The worker that held the partition before, if another one ever did. */
  previousOwner?: string | undefined;
}

/**
 * The first connection after a claim asks X to redeliver what the previous
 * owner may have missed: everything created since the newest post of the
 * partition in Redis, less core's `RECOVERY_MARGIN_MS`. Backfill covers up
 * to 5 minutes; beyond that core's gap recovery (`start_time`/`end_time`)
 * replays the rest where the endpoint has it (`recovery: 'recovering'`, then
 * the partition's `stream` events of type `recovery`), and otherwise an
 * `unrecoverable` event says which minutes are lost.
 */
export interface TakeoverBackfillEvent {
  type: 'takeover-backfill';
  partition: number;
  /** `backfill_minutes` sent (1–5; 0 when the endpoint has no backfill). */
  minutes: number;
  /** From the anchor to now, ms. */
  outageMs: number;
  /** True when the gap exceeds X's 5-minute backfill. */
  exceedsWindow: boolean;
  /** Everything of the partition created before this time (epoch ms) is in Redis. */
  anchor: number;
  /** What replays the part of the gap beyond the backfill. */
  recovery: 'not-needed' | 'recovering' | 'unavailable';
  /** The worker that held the partition before, if another one did. */
  previousOwner?: string | undefined;
}

/**
 * Posts of `partition` created between `startTime` and `endTime` (epoch ms)
 * cannot be replayed and are missing from Redis: the gap exceeds the
 * backfill and the endpoint has no recovery (`no-recovery`), the gap is
 * older than X's 24 hours (`older-than-24h`), or a recovery request failed
 * (`recovery-failed`).
 */
export interface UnrecoverableEvent {
  type: 'unrecoverable';
  partition: number;
  startTime: number;
  endTime: number;
  /** `endTime - startTime`, in minutes (rounded up). */
  minutes: number;
  reason: 'no-recovery' | 'older-than-24h' | 'recovery-failed';
}

/** This worker stopped reading `partition` (connection closed, no more writes). */
export interface PartitionStoppedEvent {
  type: 'stopped';
  partition: number;
  reason: LeaseEndReason;
  /** The partition's counts on this worker so far. */
  stats: PartitionStats;
}

/** Per-partition progress, every `progressIntervalMs`. */
export interface ProgressEvent {
  type: 'progress';
  partition: number;
  owner: string;
  /** Posts received per second over the last interval. */
  postsPerSecond: number;
  /** Now minus the creation time of the newest post received, ms, when posts carry it. */
  lagMs: number | undefined;
  /** Now minus the creation time of the newest post in Redis, ms. */
  writeLagMs: number | undefined;
  /** Messages received and not yet confirmed by Redis. */
  pendingWrites: number;
  /** Reconnects of this partition's connection since it was claimed. */
  reconnects: number;
  /** Messages appended to the Redis stream since the claim. */
  written: number;
  /** Messages Redis already had (replays, redundant connections) since the claim. */
  duplicates: number;
  /** Appended during the last interval. */
  writtenInInterval: number;
  /** Already in Redis, during the last interval. */
  duplicatesInInterval: number;
  /**
   * Set while the connection replays what a previous owner may have missed
   * (duplicates are expected then): how far back the replay reaches, in
   * minutes, and from whom the partition was taken over.
   */
  replaying?: { minutes: number; previousOwner?: string | undefined } | undefined;
  /** True between `falling-behind` and `caught-up`. */
  behind: boolean;
  /** Recovery windows (`start_time`/`end_time`) started or scheduled and not yet replayed. */
  recovering: number;
}

/**
 * `partition` is not keeping up: the newest post received (or written) is
 * older than `thresholdMs` (`maxLagMs`, by default the lease TTL), or a
 * takeover replay has taken longer than that. Add workers or CPU, or look at
 * what is slow (`pendingWrites` high: Redis; low: this process or X).
 */
export interface FallingBehindIngestEvent {
  type: 'falling-behind';
  partition: number;
  owner: string;
  lagMs: number | undefined;
  writeLagMs: number | undefined;
  pendingWrites: number;
  thresholdMs: number;
  /** Why: the posts are too old (`lag`), or the takeover replay has not caught up (`replay`). */
  reason: 'lag' | 'replay';
}

/** `partition` had fallen behind and is within half the threshold again. */
export interface CaughtUpIngestEvent {
  type: 'caught-up';
  partition: number;
  owner: string;
  lagMs: number | undefined;
  /** How long it was behind, ms. */
  behindForMs: number;
}

/** After each lease round: live workers, this worker's share and what it holds. */
export interface BalanceEvent {
  type: 'balance';
  live: number;
  target: number;
  held: number;
}

/** A lifecycle event of a partition's connection (reconnecting, backfill, recovery, stalled, …). */
export interface PartitionStreamEvent {
  type: 'stream';
  partition: number;
  event: StreamLifecycleEvent;
}

/** Something failed that the ingestor works around (it keeps running). */
export interface IngestErrorEvent {
  type: 'error';
  partition?: number;
  error: BirdstreamError | Error;
}

/** The `type` of an ingest event: the names `ingestor.on()` takes. */
export type IngestEventType = IngestEvent['type'];
/** The ingest event of type `K`. */
export type IngestEventOf<K extends IngestEventType> = Extract<IngestEvent, { type: K }>;
