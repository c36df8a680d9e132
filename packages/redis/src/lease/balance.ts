/** How many partitions each live worker aims to own: `ceil(partitions / workers)`. */
export function leaseTarget(partitionCount: number, liveWorkers: number): number {
  return Math.ceil(partitionCount / Math.max(1, liveWorkers));
}

/**
 * The partitions in the order this worker tries to claim them: rotated by a
 * hash of `owner`, so workers starting together try different ones first.
 */
export function claimOrder(partitions: readonly number[], owner: string): number[] {
  let hash = 0;
  for (let i = 0; i < owner.length; i++) hash = (hash * 31 + owner.charCodeAt(i)) >>> 0;
  const start = partitions.length === 0 ? 0 : hash % partitions.length;
  return [...partitions.slice(start), ...partitions.slice(0, start)];
}
