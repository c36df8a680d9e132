import { snowflakeTime } from '@birdstream/core';
import type { EmulatorStats } from '@birdstream/testing';

/**
 * What the emulator sent on the partitions' connections (live, backfill and
 * recovery) and which of it is missing from `inRedis`, less what was still
 * in flight when the workers were stopped (the posts after the last one that
 * reached Redis on each partition's last live connection) and the posts
 * created before the partition's first connection (a takeover's backfill may
 * replay them, but no worker was there to receive them live: they count
 * only when written).
 */
export function missingPosts(
  stats: EmulatorStats,
  inRedis: ReadonlySet<string>,
  partitions: readonly number[],
): { sent: Set<string>; missing: string[]; neverSent: string[] } {
  const connections = stats.connections.filter(
    (c) => c.partition !== undefined && partitions.includes(c.partition),
  );
  const sent = new Set(connections.flatMap((c) => [...c.postIds, ...c.backfilledIds]));
  const inFlight = new Set<string>();
  for (const p of partitions) {
    const last = connections.filter((c) => c.partition === p && c.recovery === undefined).at(-1);
    const ids = last?.postIds ?? [];
    let lastStored = -1;
    ids.forEach((id, i) => {
      if (inRedis.has(id)) lastStored = i;
    });
    for (const id of ids.slice(lastStored + 1)) inFlight.add(id);
  }
  const before = new Set<string>();
  for (const p of partitions) {
    const ofP = connections.filter((c) => c.partition === p);
    const firstOpen = Math.min(...ofP.map((c) => c.openedAt));
    for (const c of ofP) {
      for (const id of c.postIds) if ((snowflakeTime(id) ?? firstOpen) < firstOpen) before.add(id);
    }
  }
  return {
    sent,
    missing: [...sent].filter((id) => !inRedis.has(id) && !inFlight.has(id) && !before.has(id)),
    neverSent: [...inRedis].filter((id) => !sent.has(id)),
  };
}
