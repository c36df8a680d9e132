import type { BirdstreamError, StreamLifecycleEvent } from '@birdstream/core';
import type { LeaseEndReason } from '../lease/partition-leases.js';

/** Everything an `Ingestor` reports besides the messages it writes. */
export type IngestEvent =
  | ClaimedEvent
  | TakeoverBackfillEvent
  | PartitionStoppedEvent
  | ProgressEvent
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
}

/**
 * The first connection after a claim asks X to redeliver what the previous
 * owner may have missed, sized from the partition's last delivered time.
 */
export interface TakeoverBackfillEvent {
  type: 'takeover-backfill';
  partition: number;
  /** `backfill_minutes` sent (1–5). */
  minutes: number;
  /** Time since the partition's last message was delivered to Redis, in ms. */
  outageMs: number;
  /** True when the gap exceeds X's 5-minute backfill: posts older than that are lost (use recovery). */
  exceedsWindow: boolean;
}

/** This worker stopped reading `partition` (connection closed, no more writes). */
export interface PartitionStoppedEvent {
  type: 'stopped';
  partition: number;
  reason: LeaseEndReason;
}

/** Per-partition progress, every `progressIntervalMs`. */
export interface ProgressEvent {
  type: 'progress';
  partition: number;
  owner: string;
  /** Posts received per second over the last interval. */
  postsPerSecond: number;
  /** Now minus the `created_at` of the last post, in ms, when posts carry it. */
  lagMs: number | undefined;
  /** Reconnects of this partition's connection since it was claimed. */
  reconnects: number;
  /** Messages appended to the Redis stream since the claim. */
  written: number;
  /** Messages Redis already had (replays, redundant connections) since the claim. */
  duplicates: number;
}

/** After each lease round: live workers, this worker's share and what it holds. */
export interface BalanceEvent {
  type: 'balance';
  live: number;
  target: number;
  held: number;
}

/** A lifecycle event of a partition's connection (reconnecting, backfill, stalled, …). */
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
