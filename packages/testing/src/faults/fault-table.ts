import type { JsonBody } from '../engine/problems.js';
import {
  serverErrorHtml,
  tooManyConnectionsProblem,
  tooManyRequestsProblem,
  unauthorizedProblem,
  usageCappedProblem,
} from '../engine/problems.js';
import type { RejectionReason } from '../engine/stats.js';
import type { Fault, FaultType, SplitMode } from './fault.js';

/** The rate-limit values a connection answer carries. */
export interface RateValues {
  limit: number;
  remaining: number;
  /** Epoch seconds. */
  reset: number;
}

/** What a connection fault may use to build its answer. */
export interface ConnectContext {
  /** Emulated epoch ms. */
  now: number;
  /** The rate-limit window this attempt counted against. */
  rate: RateValues;
  /** The emulator's seed (for stable ids in bodies). */
  seed: number;
}

/** How a connection fault answers the attempt it hits. */
export interface FaultAnswer {
  status: number;
  reason: RejectionReason;
  /** A JSON body (with the rate-limit headers in `rate`, when given), or an HTML page. */
  json?: JsonBody;
  html?: string;
  rate?: RateValues;
  /** Drop `x-access-level` (X sends none with a 401). */
  noAccessLevel?: boolean;
}

/** What a stream fault can do to an open connection (a stream session implements it). */
export interface FaultTarget {
  split(mode: SplitMode, messages: number | undefined): void;
  slow(ms: number, bytesPerSecond: number): void;
  stall(ms: number): void;
  /** Half a message, then a TCP reset. */
  destroy(): void;
  /** A clean end of the response. */
  close(): void;
  /** X's in-band `operational-disconnect`, then a clean end. */
  operationalDisconnect(): void;
  /** The socket torn down without a FIN; the emulator keeps counting the connection (a phantom). */
  vanish(): void;
}

type Of<K extends FaultType> = Extract<Fault, { type: K }>;

/** A fault that changes how a connection attempt is answered. */
export interface ConnectionFaultSpec<F extends Fault> {
  kind: 'connection';
  /** What is wrong with the fault's own fields, as one sentence; `undefined` when fine. */
  check?: (fault: F) => string | undefined;
  /**
   * Emulated ms, from injection, during which the fault answers every
   * attempt; without it the fault answers `count` attempts.
   */
  lasts?: (fault: F) => number;
  /**
   * The answer; `'gzip'` lets the attempt through, compressed. Without it
   * the fault only `delays` the attempt.
   */
  answer?: (fault: F, ctx: ConnectContext) => FaultAnswer | 'gzip';
  /** Emulated ms the attempt takes to reach the stream: it is handled (answered, a backfill counted) from then. */
  delays?: (fault: F) => number;
}

/** A fault that acts on an open stream. */
export interface StreamFaultSpec<F extends Fault> {
  kind: 'stream';
  check?: (fault: F) => string | undefined;
  strike: (fault: F, target: FaultTarget) => void;
}

type FaultSpec<F extends Fault> = ConnectionFaultSpec<F> | StreamFaultSpec<F>;

const SPLIT_MODES: readonly SplitMode[] = ['byte', 'utf8', 'crlf', 'cr-lf', 'random', 'coalesce'];

function duration(fault: { type: string; ms?: unknown }): string | undefined {
  const ms = fault.ms;
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0
    ? undefined
    : `Fault "${fault.type}" needs \`ms\`: how long it lasts, in emulated milliseconds.`;
}

function serverErrorStatus(fault: { type: string; status?: unknown }): string | undefined {
  return fault.status === undefined || [500, 502, 503, 504].includes(fault.status as number)
    ? undefined
    : `Fault "${fault.type}": \`status\` must be 500, 502, 503 or 504.`;
}

function serverError(status: number | undefined): FaultAnswer {
  const code = status ?? 503;
  return { status: code, reason: 'server-error', html: serverErrorHtml(code) };
}

/**
 * Every fault, as data: whether it answers a connection attempt or strikes
 * an open stream, how its fields are checked, and what it does. The
 * compiler checks that every `Fault` type has exactly one entry, so adding a
 * fault is its interface in `fault.ts` plus its entry here.
 */
export const FAULTS = {
  split: {
    kind: 'stream',
    check: (f) =>
      SPLIT_MODES.includes(f.mode)
        ? undefined
        : `Fault "split": \`mode\` must be one of ${SPLIT_MODES.join(', ')}.`,
    strike: (f, t) => t.split(f.mode, f.messages),
  },
  stall: { kind: 'stream', check: duration, strike: (f, t) => t.stall(f.ms) },
  destroy: { kind: 'stream', strike: (_f, t) => t.destroy() },
  close: { kind: 'stream', strike: (_f, t) => t.close() },
  'operational-disconnect': { kind: 'stream', strike: (_f, t) => t.operationalDisconnect() },
  slow: {
    kind: 'stream',
    check: (f) =>
      duration(f) ??
      (f.bytesPerSecond === 0
        ? 'Fault "slow": `bytesPerSecond` must be above 0 (use a "stall" fault to send nothing).'
        : undefined),
    strike: (f, t) => t.slow(f.ms, f.bytesPerSecond ?? 512),
  },
  phantom: { kind: 'stream', strike: (_f, t) => t.vanish() },
  'too-many-connections': {
    kind: 'connection',
    answer: (_f, { rate }) => ({
      status: 429,
      reason: 'too-many-connections',
      json: tooManyConnectionsProblem(),
      rate,
    }),
  },
  'rate-limit': {
    kind: 'connection',
    answer: (f, { now, rate }) => ({
      status: 429,
      reason: 'rate-limit',
      json: tooManyRequestsProblem(),
      rate: {
        limit: rate.limit,
        remaining: 0,
        reset: Math.ceil((now + (f.resetInMs ?? 60_000)) / 1000),
      },
    }),
  },
  'usage-cap': {
    kind: 'connection',
    answer: (_f, { rate, seed }) => ({
      status: 429,
      reason: 'usage-cap',
      json: usageCappedProblem(1_000_000_000 + (seed % 1_000_000)),
      rate,
    }),
  },
  'server-error': {
    kind: 'connection',
    check: serverErrorStatus,
    answer: (f) => serverError(f.status),
  },
  outage: {
    kind: 'connection',
    check: (f) => duration(f) ?? serverErrorStatus(f),
    lasts: (f) => f.ms,
    answer: (f) => serverError(f.status),
  },
  latency: { kind: 'connection', check: duration, delays: (f) => f.ms },
  unauthorized: {
    kind: 'connection',
    answer: () => ({
      status: 401,
      reason: 'unauthorized',
      json: unauthorizedProblem(),
      noAccessLevel: true,
    }),
  },
  gzip: { kind: 'connection', answer: () => 'gzip' },
} as const satisfies { [K in FaultType]: FaultSpec<Of<K>> };

/** Every fault type, in table order. */
export const FAULT_TYPES = Object.keys(FAULTS) as FaultType[];

/** The fault types that answer connection attempts. */
export type ConnectionFaultType = {
  [K in FaultType]: (typeof FAULTS)[K]['kind'] extends 'connection' ? K : never;
}[FaultType];

/** Faults that change how a connection attempt is answered (their kind in the table). */
export type ConnectionFault = Extract<Fault, { type: ConnectionFaultType }>;

/** Faults that act on an open stream. */
export type StreamFault = Exclude<Fault, ConnectionFault>;

/** True for a fault that answers connection attempts (kind `'connection'` in the table). */
export function isConnectionFault(fault: Fault): fault is ConnectionFault {
  return FAULTS[fault.type].kind === 'connection';
}

/** The spec of `fault`'s type. */
export function faultSpec(fault: Fault): FaultSpec<Fault> {
  return FAULTS[fault.type] as unknown as FaultSpec<Fault>;
}
