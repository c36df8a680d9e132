import type { Drift, DriftKind } from '../decode/tolerant-reader.js';
import { ConfigError } from '../errors/config-error.js';

/** How often drift is reported (option `schemaDrift`). */
export interface SchemaDriftOptions {
  /**
   * At most one `schema-drift` event per path and kind per this much clock
   * time: the first one this long after the drift was first seen, then each
   * interval in which it was seen again, and a last one when the stream
   * ends. `stream.stats.drift` is always current.
   * @default 60_000
   */
  intervalMs?: number;
}

/** Default `schemaDrift.intervalMs`. */
export const DEFAULT_DRIFT_INTERVAL_MS = 60_000;

/**
 * Distinct paths tracked per stream. Paths come from the schema (array
 * positions folded into `[]`), so a stream has far fewer; past this bound a
 * new path is counted under `(other paths)`, never dropped.
 */
export const MAX_DRIFT_PATHS = 256;

/** One path's drift on one stream, in aggregate. */
export interface SchemaDriftStat {
  /** Where, with array positions folded: `data.timestamp_ms`, `errors[]`, `includes.users[].name`. */
  path: string;
  kind: DriftKind;
  /** What the first occurrence was and what was done (never quotes a value). */
  detail: string;
  /** Messages with this drift so far (a message counts once per path and kind). */
  count: number;
  /** Messages with this drift since the previous event for it. */
  sinceLastReport: number;
  /** The first occurrence's exact path: `errors.0`. */
  samplePath: string;
  /** Clock time of the first and the latest occurrence, epoch ms. */
  firstSeenAt: number;
  lastSeenAt: number;
}

interface Entry extends SchemaDriftStat {
  /** When the last event for it was emitted (or, before the first, when it was first seen). */
  reportedAt: number;
}

/** The path as reported: array positions folded into `[]`. */
export function driftPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += '[]';
    else out += out === '' ? part : `.${part}`;
  }
  return out === '' ? '(root)' : out;
}

/** Checks the `schemaDrift` option and applies its default. */
export function resolveSchemaDrift(
  option: SchemaDriftOptions | undefined,
): Required<SchemaDriftOptions> {
  if (option === undefined) return { intervalMs: DEFAULT_DRIFT_INTERVAL_MS };
  if (typeof option !== 'object' || option === null) {
    throw new ConfigError(`schemaDrift must be { intervalMs }, got ${String(option)}.`);
  }
  const intervalMs = option.intervalMs ?? DEFAULT_DRIFT_INTERVAL_MS;
  if (typeof intervalMs !== 'number' || Number.isNaN(intervalMs) || intervalMs <= 0) {
    throw new ConfigError(
      `schemaDrift.intervalMs must be a positive number of milliseconds, got ${String(intervalMs)}.`,
    );
  }
  return { intervalMs };
}

/**
 * Aggregates one stream's drift (what `validate: 'tolerant'` coerced or set
 * aside) per path and kind, on the stream's clock: `record()` per message,
 * `tick()` on every message and keep-alive, `finish()` when the stream ends.
 * Emits at most one report per path per interval; never one per message.
 */
export class SchemaDriftMeter {
  readonly #intervalMs: number;
  readonly #report: (stat: SchemaDriftStat) => void;
  readonly #entries = new Map<string, Entry>();
  #pending = 0;

  constructor(options: SchemaDriftOptions | undefined, report: (stat: SchemaDriftStat) => void) {
    this.#intervalMs = resolveSchemaDrift(options).intervalMs;
    this.#report = report;
  }

  /** The drift of one delivered message. */
  record(drift: readonly Drift[], now: number): void {
    let seen: Set<string> | undefined;
    for (const d of drift) {
      let path = driftPath(d.path);
      let key = `${d.kind} ${path}`;
      if (!this.#entries.has(key) && this.#entries.size >= MAX_DRIFT_PATHS) {
        path = '(other paths)';
        key = `${d.kind} ${path}`;
      }
      if (drift.length > 1) {
        seen ??= new Set();
        if (seen.has(key)) continue;
        seen.add(key);
      }
      const entry = this.#entries.get(key);
      if (entry === undefined) {
        this.#entries.set(key, {
          path,
          kind: d.kind,
          detail: d.detail,
          count: 1,
          sinceLastReport: 1,
          samplePath: d.path.join('.') || '(root)',
          firstSeenAt: now,
          lastSeenAt: now,
          reportedAt: now,
        });
        this.#pending++;
        continue;
      }
      entry.count++;
      entry.lastSeenAt = now;
      if (entry.sinceLastReport++ === 0) this.#pending++;
    }
  }

  /** Reports each path seen since its last report whose interval has passed. */
  tick(now: number): void {
    if (this.#pending === 0) return;
    for (const entry of this.#entries.values()) {
      if (entry.sinceLastReport > 0 && now - entry.reportedAt >= this.#intervalMs) {
        this.#emit(entry, now);
      }
    }
  }

  /** The stream ends: what was seen since its last report is reported now. */
  finish(now: number): void {
    if (this.#pending === 0) return;
    for (const entry of this.#entries.values()) {
      if (entry.sinceLastReport > 0) this.#emit(entry, now);
    }
  }

  /** Every path's figures so far, first seen first. */
  stats(): SchemaDriftStat[] {
    return [...this.#entries.values()].map(statOf);
  }

  #emit(entry: Entry, now: number): void {
    const stat = statOf(entry);
    entry.reportedAt = now;
    entry.sinceLastReport = 0;
    this.#pending--;
    this.#report(stat);
  }
}

function statOf(entry: Entry): SchemaDriftStat {
  const { reportedAt: _, ...stat } = entry;
  return stat;
}
