/**
 * Whether a failed Redis call may succeed when repeated: a dropped or
 * refused connection, or a reply Redis gives while it cannot serve yet
 * (loading after a restart, busy script, failover).
 */
export function isTransientRedisError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name !== 'ReplyError') return true;
  return /^(LOADING|BUSY|TRYAGAIN|MASTERDOWN|CLUSTERDOWN|READONLY|NOSCRIPT)/.test(error.message);
}

/** Back-off before retry `attempt` (1, 2, …): doubling from `initialMs`, capped at `maxMs`. */
export function retryDelay(attempt: number, initialMs: number, maxMs: number): number {
  return Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
}
