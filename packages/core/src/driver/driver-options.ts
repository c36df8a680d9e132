import type { DedupeSettings } from '../dedupe/post-dedupe.js';
import type { StreamEventHandlers } from '../events/lifecycle.js';
import type { BudgetOption } from '../operate/budget.js';
import type { LagOptions } from '../operate/lag-meter.js';
import type { ReclaimSettings, SupervisorConfig } from '../reconnect/supervision-options.js';

/** A stream's options checked and with their defaults: what the driver runs by. */
export interface ResolvedStreamOptions {
  signal: AbortSignal | undefined;
  /** The supervisor's config (`resolveSupervision`). */
  supervision: SupervisorConfig;
  /** `undefined` when `reclaimStaleConnections` is off. */
  reclaim: ReclaimSettings | undefined;
  stallTimeoutMs: number;
  validate: 'strict' | 'off';
  /** `undefined` when dedupe is off. */
  dedupe: DedupeSettings | undefined;
  maxMessageBytes: number | undefined;
  budget: BudgetOption | undefined;
  lag: LagOptions | false;
  on: StreamEventHandlers | undefined;
}
