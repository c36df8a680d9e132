import type { IngestorStats, PartitionStats } from '@birdstream/redis';
import { describe, expect, it } from 'vitest';
import { describeIngestEvent, logTime, summaryLines } from '../../src/ingest/ingest-log.js';

const progress = {
  type: 'progress' as const,
  partition: 3,
  owner: 'w2',
  postsPerSecond: 120,
  lagMs: 95_000,
  writeLagMs: 95_000,
  pendingWrites: 0,
  reconnects: 0,
  written: 0,
  duplicates: 26,
  writtenInInterval: 0,
  duplicatesInInterval: 26,
  behind: false,
  recovering: 0,
};

describe('ingest log lines', () => {
  it('start with the UTC time to the second', () => {
    expect(logTime(Date.parse('2026-12-06T20:41:03.987Z'))).toBe('2026-12-06T20:41:03Z');
  });

  it('say who a partition was taken over from, and when it is a first claim', () => {
    const claimed = { type: 'claimed' as const, partition: 4, owner: 'w2', token: 7 };
    expect(describeIngestEvent({ ...claimed, previousOwner: 'w1' })).toBe(
      'partition 4: taken over from w1 (fencing token 7).',
    );
    expect(describeIngestEvent(claimed)).toBe(
      'partition 4: claimed (fencing token 7); no worker read it before.',
    );
  });

  it('explain a takeover replay instead of "0 written, 26 duplicates"', () => {
    expect(
      describeIngestEvent({ ...progress, replaying: { minutes: 3, previousOwner: 'w1' } }),
    ).toBe(
      'partition 3: replaying 3 min after takeover from w1: 26 already in Redis, 0 new; 120 posts/s, lag 95.0 s.',
    );
  });

  it('show what waits for Redis when it lags behind what was received', () => {
    expect(
      describeIngestEvent({
        ...progress,
        lagMs: 800,
        writeLagMs: 52_000,
        behind: true,
        written: 10,
      }),
    ).toBe(
      'partition 3: 120 posts/s, lag 0.8 s (in Redis: 52.0 s) (falling behind), owner w2, 0 reconnects, 10 written, 26 duplicates.',
    );
  });

  it('say what a takeover asks X to replay, and which minutes nothing can replay', () => {
    const takeover = {
      type: 'takeover-backfill' as const,
      partition: 2,
      minutes: 5,
      outageMs: 12 * 60_000,
      exceedsWindow: true,
      anchor: 0,
      previousOwner: 'w1',
    };
    expect(describeIngestEvent({ ...takeover, recovery: 'recovering' })).toBe(
      "partition 2: the newest post in Redis was created 12m 00s ago (less a 1 min margin), beyond X's 5-minute backfill: asking X to backfill 5 min and recovering the 7 min before with start_time/end_time.",
    );
    expect(
      describeIngestEvent({
        type: 'unrecoverable',
        partition: 2,
        startTime: Date.parse('2026-12-06T20:01:00Z'),
        endTime: Date.parse('2026-12-06T20:08:00Z'),
        minutes: 7,
        reason: 'no-recovery',
      }),
    ).toBe(
      'partition 2: posts created 20:01:00Z–20:08:00Z (7 min) cannot be replayed: this stream has no recovery (start_time/end_time). They are missing from Redis.',
    );
  });

  it('warn when a partition falls behind, with what to do', () => {
    expect(
      describeIngestEvent({
        type: 'falling-behind',
        partition: 1,
        owner: 'w1',
        lagMs: 1_200,
        writeLagMs: 52_000,
        pendingWrites: 4_800,
        thresholdMs: 45_000,
        reason: 'lag',
      }),
    ).toBe(
      'partition 1: falling behind: the newest post received is 1.2 s old (in Redis: 52.0 s), above 45.0 s; 4,800 writes waiting for Redis. Add workers or CPU, or check Redis.',
    );
  });

  it('end with a summary per partition and a total', () => {
    const partition = (n: number, written: number): PartitionStats => ({
      partition: n,
      received: written,
      written,
      duplicates: 2,
      reconnects: 1,
      backfillMinutes: 2,
      recoveredMinutes: 0,
      unrecoverableMinutes: 0,
      claims: 1,
      takeovers: 1,
      lost: 0,
      fallingBehind: 0,
      held: false,
      pendingWrites: 0,
      behind: false,
      replaying: false,
      recovering: 0,
    });
    const p1 = partition(1, 100);
    const p2 = partition(2, 50);
    const stats: IngestorStats = {
      owner: 'w2',
      liveWorkers: 2,
      target: 1,
      held: [],
      partitions: [p1, p2],
      totals: {
        ...p1,
        written: 150,
        received: 150,
        duplicates: 4,
        reconnects: 2,
        backfillMinutes: 4,
        claims: 2,
        takeovers: 2,
      },
    };
    expect(summaryLines(stats)).toEqual([
      'summary: partition 1: 100 written, 2 duplicates, 1 reconnect, backfill 2 min, recovered 0 min, unrecoverable 0 min, claimed 1× (1 takeover).',
      'summary: partition 2: 50 written, 2 duplicates, 1 reconnect, backfill 2 min, recovered 0 min, unrecoverable 0 min, claimed 1× (1 takeover).',
      'summary: total of w2 over 2 partitions: 150 written, 4 duplicates, 2 reconnects, backfill 4 min, recovered 0 min, unrecoverable 0 min, claimed 2× (2 takeovers).',
    ]);
  });
});
