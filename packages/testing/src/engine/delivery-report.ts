import type { ConnectionStats } from './stats.js';

/** How one consumer's deliveries compare with what the emulator sent it. */
export interface DeliveryReport {
  /** Distinct posts the emulator sent on the consumer's connections. */
  sent: number;
  /** Posts the consumer handed to its code (duplicates included). */
  received: number;
  /** Distinct posts sent but never delivered, other than those still in flight at shutdown. */
  lost: string[];
  /** Posts delivered more than once. */
  duplicatesDelivered: number;
  /** Posts written on the last connection after the last one delivered: in flight when the consumer closed. */
  inFlight: number;
  /** Posts delivered that the emulator never sent (must be 0). */
  unknown: number;
}

/**
 * Compares what a consumer delivered with the posts the emulator sent on its
 * connections (in `stats().connections` order). A post is lost if it was
 * sent on any connection and never delivered, unless it was still in flight
 * on the last connection when the consumer closed it.
 */
export function deliveryReport(
  connections: readonly ConnectionStats[],
  delivered: readonly string[],
): DeliveryReport {
  const got = new Set(delivered);
  const sent = new Set<string>();
  for (const c of connections) for (const id of c.postIds) sent.add(id);
  const last = connections.at(-1)?.postIds ?? [];
  let lastDelivered = -1;
  last.forEach((id, i) => {
    if (got.has(id)) lastDelivered = i;
  });
  const inFlight = new Set(last.slice(lastDelivered + 1).filter((id) => !got.has(id)));
  const lost = [...sent].filter((id) => !got.has(id) && !inFlight.has(id));
  return {
    sent: sent.size,
    received: delivered.length,
    lost,
    duplicatesDelivered: delivered.length - got.size,
    inFlight: inFlight.size,
    unknown: [...got].filter((id) => !sent.has(id)).length,
  };
}
