import type { BudgetUsage } from '../operate/budget.js';
import type { LagStat } from '../operate/lag-meter.js';

/** Counters of an `EndpointStream`, for monitoring. Read with `stream.stats` (a snapshot). */
export interface StreamStats {
  /** Stream messages received (posts, duplicates and error-only messages; not keep-alives). */
  received: number;
  /** Posts handed to the consumer. */
  delivered: number;
  /** Posts dropped as already delivered (`duplicate` events). */
  duplicates: number;
  /** Reconnects scheduled (`reconnecting` events). */
  reconnects: number;
  /** Keep-alives received. */
  keepAlives: number;
  /** Messages skipped as invalid (`payload-invalid` events). */
  invalid: number;
  /** Body bytes received on the stream's connections (after decompression), keep-alives included. */
  bytes: number;
  /** Clock time of the last byte received, epoch ms; `undefined` before the first. */
  lastByteAt: number | undefined;
  /** Where the `budget` stands; `undefined` without a budget. */
  usage?: BudgetUsage | undefined;
  /** The last finished lag interval (option `lag`); `undefined` before the first or with `lag: false`. */
  lag?: LagStat | undefined;
}

export function emptyStats(): StreamStats {
  return {
    received: 0,
    delivered: 0,
    duplicates: 0,
    reconnects: 0,
    keepAlives: 0,
    invalid: 0,
    bytes: 0,
    lastByteAt: undefined,
    usage: undefined,
    lag: undefined,
  };
}
