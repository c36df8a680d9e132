import { snowflakeTime } from '@birdstream/core';
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
 * Compares what was delivered with the posts the emulator sent. Replays
 * come in creation order, so once the client has delivered a post created
 * at `cutoff` it has caught up to then: a post created before `cutoff` that
 * was sent on any connection and never delivered is lost. Posts created
 * later were still in flight when the client stopped.
 */
export function summarizeDelivery(
  connections: readonly ConnectionStats[],
  delivered: readonly string[],
  cutoff: number,
): Pick<SoakFigures, 'sent' | 'lost' | 'duplicatesDelivered' | 'inFlight' | 'unknown'> {
  const got = new Set(delivered);
  const sent = new Set<string>();
  for (const c of connections) for (const id of c.postIds) sent.add(id);
  const missing = [...sent].filter((id) => !got.has(id));
  const lost = missing.filter((id) => (snowflakeTime(id) ?? Number.POSITIVE_INFINITY) < cutoff);
  return {
    sent: sent.size,
    lost,
    duplicatesDelivered: delivered.length - got.size,
    inFlight: missing.length - lost.length,
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
 * after another HTTP error 5 s, after a connection the server dropped before
 * it was healthy 250 ms (an announced operational disconnect may reconnect at
 * once, as may a healthy connection; one the client ended is not timed).
 * Returns the violations.
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
      // A connection the client ended (its stall watchdog) is seen closed by the server later
      // than the client closed it, by however long a busy machine takes (×10 in emulated time),
      // so the server cannot time the client's wait from it: core's own tests check that one.
      const atOnce =
        lived >= HEALTHY_AFTER_MS ||
        c.closedBy === 'operational-disconnect' ||
        c.closedBy === 'client';
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
