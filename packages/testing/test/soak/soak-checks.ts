import type { ConnectionStats, EmulatorStats } from '../../src/index.js';

/** What a soak run reports (printed, and recorded in docs/reliability.md). */
export interface SoakFigures {
  posts: number;
  emulatedSeconds: number;
  faults: number;
  connections: number;
  rejected: number;
  backfilled: number;
  duplicatesDropped: number;
  invalid: number;
  heapMiB: number[];
  sent: number;
  lost: string[];
  duplicatesDelivered: number;
  inFlight: number;
  unknown: number;
}

/**
 * Compares what was delivered with the posts the emulator sent. A post is
 * lost if it was sent on any connection and never delivered, unless it was
 * still in flight on the last connection when the client closed it.
 */
export function summarizeDelivery(
  connections: readonly ConnectionStats[],
  delivered: readonly string[],
): Pick<SoakFigures, 'sent' | 'lost' | 'duplicatesDelivered' | 'inFlight' | 'unknown'> {
  const got = new Set(delivered);
  const sent = new Set<string>();
  for (const c of connections) for (const id of c.postIds) sent.add(id);
  const last = connections.at(-1)?.postIds ?? [];
  let lastDelivered = -1;
  last.forEach((id, i) => {
    if (got.has(id)) lastDelivered = i;
  });
  const inFlight = new Set(last.slice(lastDelivered + 1).filter((id) => !got.has(id)));
  return {
    sent: sent.size,
    lost: [...sent].filter((id) => !got.has(id) && !inFlight.has(id)),
    duplicatesDelivered: delivered.length - got.size,
    inFlight: inFlight.size,
    unknown: [...got].filter((id) => !sent.has(id)).length,
  };
}

/** X's floors (spec §6.1): nothing sooner than these after each kind of failure. */
const FLOOR_AFTER_429_MS = 60_000;
const FLOOR_AFTER_HTTP_ERROR_MS = 5_000;
const FLOOR_AFTER_NETWORK_ERROR_MS = 250;
/** A connection up this long was healthy: X asks for an immediate reconnect. */
const HEALTHY_AFTER_MS = 30_000;

/**
 * Every stream attempt the emulator saw, in order, checked against the
 * floors of X's reconnect policy, from the server's side (an oracle
 * independent of the client's own schedule): after a 429 at least 60 s,
 * after another HTTP error 5 s, after a connection that dropped before it
 * was healthy 250 ms (an announced operational disconnect may reconnect at
 * once, as may a healthy connection). Returns the violations.
 */
export function checkBackoffFloors(stats: EmulatorStats): string[] {
  type Attempt = { at: number; outcome: string; floorAfterMs: number; endedAt: number };
  const attempts: Attempt[] = [
    ...stats.rejected.map((r) => ({
      at: r.at,
      endedAt: r.at,
      outcome: `${r.status} ${r.reason}`,
      floorAfterMs: r.status === 429 ? FLOOR_AFTER_429_MS : FLOOR_AFTER_HTTP_ERROR_MS,
    })),
    ...stats.connections.map((c) => {
      const lived = (c.closedAt ?? c.openedAt) - c.openedAt;
      const atOnce = lived >= HEALTHY_AFTER_MS || c.closedBy === 'operational-disconnect';
      return {
        at: c.openedAt,
        endedAt: c.closedAt ?? Number.POSITIVE_INFINITY,
        outcome: `connection ${c.id} ended by ${c.closedBy ?? 'nothing'} after ${lived} ms`,
        floorAfterMs: atOnce ? 0 : FLOOR_AFTER_NETWORK_ERROR_MS,
      };
    }),
  ].sort((a, b) => a.at - b.at);
  const violations: string[] = [];
  for (let i = 1; i < attempts.length; i++) {
    const previous = attempts[i - 1]!;
    const gap = attempts[i]!.at - previous.endedAt;
    if (gap < previous.floorAfterMs) {
      violations.push(`${gap} ms after ${previous.outcome} (floor ${previous.floorAfterMs} ms)`);
    }
  }
  return violations;
}
