/**
 * Every Redis key this package uses, in one place. `prefix` defaults to
 * `birdstream`; `endpoint` is the stream's name (`firehose`, `sample10`, …).
 */
export interface KeyOptions {
  /** First part of every key. @default 'birdstream' */
  prefix?: string;
}

/** The prefix of every Redis key birdstream writes (`birdstream:{endpoint}`, …). */
export const DEFAULT_PREFIX = 'birdstream';

/** The Redis stream messages of `endpoint` are written to: `birdstream:{endpoint}`. */
export function defaultStreamKey(endpoint: string, prefix = DEFAULT_PREFIX): string {
  return `${prefix}:${endpoint}`;
}

/** The dedupe marker of one message identity written to `streamKey`. */
export function dedupeKey(streamKey: string, identity: string): string {
  return `${streamKey}:dedupe:${identity}`;
}

/** Hash of partition → last delivered time (epoch ms) of `streamKey`. */
export function deliveredKey(streamKey: string): string {
  return `${streamKey}:delivered`;
}

/** The lease of one partition: value `<fencing token>:<owner>`. */
export function leaseKey(endpoint: string, partition: number, prefix = DEFAULT_PREFIX): string {
  return `${prefix}:lease:${endpoint}:${partition}`;
}

/** The fencing counter of one partition (INCR on every claim). */
export function fenceKey(endpoint: string, partition: number, prefix = DEFAULT_PREFIX): string {
  return `${prefix}:fence:${endpoint}:${partition}`;
}

/** Sorted set of live workers of `endpoint`, scored by heartbeat expiry (Redis time, ms). */
export function workersKey(endpoint: string, prefix = DEFAULT_PREFIX): string {
  return `${prefix}:workers:${endpoint}`;
}

/** Hash of partition → the worker that claimed it last (so a takeover can say from whom). */
export function ownersKey(endpoint: string, prefix = DEFAULT_PREFIX): string {
  return `${prefix}:owners:${endpoint}`;
}
