import { ConfigError, DEFAULT_STALL_TIMEOUT_MS } from '@birdstream/core';

/** Lease timing of `PartitionLeases`, in ms. */
export interface LeaseTiming {
  /**
   * How long a lease lives without renewal. Must exceed
   * `stallTimeoutMs + renewIntervalMs` (see the README's lease timing rule).
   * @default 45_000
   */
  leaseTtlMs?: number;
  /** How often leases and the worker heartbeat are renewed. @default 5_000 */
  renewIntervalMs?: number;
  /**
   * The stall timeout of the stream connections (core's `stallTimeoutMs`),
   * used to check the timing rule.
   * @default 30_000
   */
  stallTimeoutMs?: number;
}

export interface ResolvedLeaseTiming {
  leaseTtlMs: number;
  renewIntervalMs: number;
  stallTimeoutMs: number;
}

/** How long a partition's lease lasts without renewal (`leaseTtlMs`). */
export const DEFAULT_LEASE_TTL_MS = 45_000;
/** How often a worker renews its leases (`renewIntervalMs`). */
export const DEFAULT_RENEW_INTERVAL_MS = 5_000;

/**
 * Applies defaults and checks the lease timing rule:
 * `leaseTtlMs > stallTimeoutMs + renewIntervalMs`.
 *
 * A worker stops a partition (closes its connection to X, stops writing) once
 * its lease has not been renewed for `leaseTtlMs - renewIntervalMs`: a full
 * renew interval before Redis lets anyone else claim it. A worker cut off
 * from X notices within `stallTimeoutMs` and reconnects; the lease must
 * outlive that, so a stalled but live worker keeps its partition instead of
 * racing a new owner to X's connection limit.
 */
export function resolveLeaseTiming(timing: LeaseTiming = {}): ResolvedLeaseTiming {
  const resolved = {
    leaseTtlMs: timing.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS,
    renewIntervalMs: timing.renewIntervalMs ?? DEFAULT_RENEW_INTERVAL_MS,
    stallTimeoutMs: timing.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS,
  };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isInteger(value) || value < 1) {
      throw new ConfigError(`${name} must be a positive whole number of ms, got ${String(value)}.`);
    }
  }
  if (resolved.leaseTtlMs <= resolved.stallTimeoutMs + resolved.renewIntervalMs) {
    throw new ConfigError(
      `leaseTtlMs (${resolved.leaseTtlMs}) must be greater than stallTimeoutMs (${resolved.stallTimeoutMs}) + renewIntervalMs (${resolved.renewIntervalMs}), so a partition never has two connections; raise leaseTtlMs.`,
    );
  }
  return resolved;
}
