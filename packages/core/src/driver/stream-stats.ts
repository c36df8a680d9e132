import type { BudgetUsage } from '../operate/budget.js';
import type { LagStat } from '../operate/lag-meter.js';
import type { SchemaDriftStat } from '../operate/schema-drift-meter.js';

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
  /** Messages that could not be delivered as the stream's type (`unrecognized` events; `validate: 'tolerant'`). */
  unrecognized: number;
  /**
   * Drift per path and kind (`validate: 'tolerant'`): what was coerced or
   * set aside to deliver messages typed, the figures of the `schema-drift`
   * events, always current; `undefined` before any.
   */
  drift?: SchemaDriftStat[] | undefined;
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
    unrecognized: 0,
    bytes: 0,
    lastByteAt: undefined,
    usage: undefined,
    lag: undefined,
    drift: undefined,
  };
}
