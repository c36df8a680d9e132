import { ConfigError } from '@birdstream/core';
import type { ScriptedFault } from '../faults/fault.js';
import { validateFault } from '../faults/validate-fault.js';
import { FRAMINGS, type Framing } from '../stream/framing.js';
import { PAYLOAD_DRIFTS, type PayloadDrift } from '../traffic/drift/playground-drift.js';
import { normalizeSeed } from '../traffic/prng.js';
import type { WebhookEmulationOptions } from '../webhooks/webhook-emulation.js';
import { type RateLimitedEndpoint, X_RATE_LIMITS } from './rate-limits.js';

/** A rule to preload, as in `POST /2/tweets/search/stream/rules` `add`. */
export interface EmulatorRule {
  value: string;
  tag?: string;
}

/** Options shared by `startEmulator` and `createXApiHandlers`. */
export interface XApiEmulationOptions {
  /**
   * Seed of everything random: posts, authors, timing, random faults, rule
   * ids. The same seed (and `startTime`) gives byte-identical traffic.
   * @default a random seed, reported by `stats().seed`
   */
  seed?: number | string;
  /** Posts created per second of emulated time, on the whole emulated platform. The filtered stream delivers those matching the rules; the sample stream all of them. @default 50 */
  rate?: number;
  /** How much faster than real time emulated time runs (100 = a 20 s keep-alive every 200 real ms). Every duration in options and faults is emulated time. @default 1 */
  timeScale?: number;
  /** Emulated time at start, epoch ms or a `Date`; pin it together with `seed` for reproducible ids and timestamps. @default Date.now() */
  startTime?: number | Date;
  /** The bearer token requests must carry. @default undefined (any non-empty bearer token is accepted) */
  bearerToken?: string;
  /** Rules stored before the first request, so the filtered stream can connect at once. @default [] */
  rules?: readonly EmulatorRule[];
  /**
   * Faults: a script (`[{ at: 10_000, type: 'destroy' }, …]`, `at` in emulated
   * ms after start, or `atPost` a post of the timeline; `randomFaultScript()`
   * draws one), `'random'` (seeded, retryable faults only, roughly every
   * `faultIntervalMs` while a stream is open, or every `faultIntervalPosts`
   * posts) or `'none'`. Inject more at any time with `inject()`.
   * @default 'none'
   */
  faults?: 'none' | 'random' | readonly ScriptedFault[];
  /** Mean emulated ms between random faults. @default 60_000 */
  faultIntervalMs?: number;
  /**
   * Mean posts between random faults, counted on the timeline: with it,
   * `faults: 'random'` follows the post count instead of emulated time
   * (`faultIntervalMs` is then not used), so one seed strikes the same faults
   * at the same posts on any machine, however fast it runs. Each episode
   * strikes the first stream connection that reaches its post.
   * @default undefined (random faults follow `faultIntervalMs`)
   */
  faultIntervalPosts?: number;
  /** Emulated ms between keep-alives. @default 20_000 (X's documented interval) */
  keepAliveMs?: number;
  /** Escape characters outside the BMP as `\uD83E\uDD41`, as X does; `false` sends them as raw 4-byte UTF-8. @default true */
  escapeNonBmp?: boolean;
  /** Requests per 15-minute emulated window per endpoint, or `false` for no limits. @default X's limits (stream 50, GET rules 450, POST rules 100) */
  rateLimits?: Partial<Record<RateLimitedEndpoint, number>> | false;
  /** Rules the app may hold. @default 1000 */
  maxRules?: number;
  /** Longest rule value accepted. @default 1024 */
  maxRuleLength?: number;
  /** Compress streams: `'auto'` when the client sends `Accept-Encoding: gzip` (as X does), `'always'`, or `'never'`. @default 'auto' */
  gzip?: 'auto' | 'always' | 'never';
  /** Unread bytes after which a client is dropped as a slow reader, as X does. @default 16 MiB */
  slowReaderBytes?: number;
  /**
   * Connections allowed at once per stream. X allows 1 on standard access
   * and 2 redundant connections (both get the same posts) on Enterprise; one
   * more gets 429 TooManyConnections.
   * @default 1
   */
  maxConnections?: number;
  /**
   * How stream messages are delimited: `'crlf'` as X's API does, `'lf'` (a
   * bare `\n` after each message and keep-alive, `Content-Type:
   * text/event-stream`) as X's local emulator, the "playground", does, or
   * `'sse'` (`data: <json>\n\n`, keep-alives a bare `\n`, also
   * `text/event-stream`).
   * @default 'crlf' ('lf', and 'sse' on the likes compliance stream, with `drift: 'playground'`)
   */
  framing?: Framing;
  /**
   * Payload shapes: `'none'` as X's spec says, or `'playground'` as X's own
   * local emulator serves them (recorded from it): bare `\n` framing (SSE on
   * the likes compliance stream) unless `framing` is set, likes with
   * `timestamp_ms` as a numeric string, unlikes as `delete.like`, counters
   * instead of events on the users compliance stream, label messages
   * without `data`, an `errors` item without `type`/`title` beside each
   * Activity event. To show and test a client that delivers through drift.
   * @default 'none'
   */
  drift?: PayloadDrift;
  /**
   * Emulated ms a client may leave bytes unread (the server's backlog never
   * drained) before it is dropped: an in-band `SlowReader` message ("Client
   * too slow") is queued behind the backlog, the body ends, and the socket is
   * reset. `undefined` leaves only the `slowReaderBytes` limit.
   * @default undefined
   */
  slowReaderMs?: number;
  /**
   * How long (emulated ms) X goes on counting a connection whose client
   * vanished (a `phantom` fault, or a TCP reset with `phantomOnReset`): until
   * then the next connect to that stream (partition) gets 429
   * TooManyConnections, unless the phantom is killed with `DELETE /2/connections…`.
   * @default 120_000
   */
  phantomTimeoutMs?: number;
  /** Whether a client that resets its socket (no FIN, as when its process is killed) leaves a phantom connection. @default false */
  phantomOnReset?: boolean;
  /**
   * Posts the project may read (each distinct post once per UTC day, as X
   * bills them); once reached, open post streams end and every connect gets
   * X's 429 `usage-capped`. `GET /2/usage/tweets` reports it as `project_cap`.
   * @default undefined (no cap)
   */
  usageCap?: number;
  /**
   * Filtered-stream webhooks (`/2/webhooks`, `/2/tweets/search/webhooks`): the
   * consumer secret deliveries are signed with, delivery faults, retries, CRC
   * timing. Registered webhooks get signed POSTs of the posts matching the
   * rules (real HTTP, so the node:http emulator only).
   * @default {} (EMULATOR_CONSUMER_SECRET, no faults)
   */
  webhooks?: WebhookEmulationOptions;
}

/** Options with every default applied. */
export interface ResolvedOptions {
  /** The seed as given (or drawn), reported by `stats().seed`. */
  seedInput: number | string;
  /** The 32-bit seed the generators use. */
  seed: number;
  rate: number;
  timeScale: number;
  startTime: number;
  bearerToken: string | undefined;
  rules: readonly EmulatorRule[];
  faults: 'none' | 'random' | readonly ScriptedFault[];
  faultIntervalMs: number;
  faultIntervalPosts: number | undefined;
  keepAliveMs: number;
  escapeNonBmp: boolean;
  rateLimits: Readonly<Record<RateLimitedEndpoint, number>> | false;
  maxRules: number;
  maxRuleLength: number;
  gzip: 'auto' | 'always' | 'never';
  slowReaderBytes: number;
  maxConnections: number;
  /** `undefined` when not chosen: each stream's default (see `drift`). */
  framing: Framing | undefined;
  drift: PayloadDrift;
  slowReaderMs: number | undefined;
  phantomTimeoutMs: number;
  phantomOnReset: boolean;
  usageCap: number | undefined;
}

function positive(
  value: number | undefined,
  name: string,
  fallback: number,
  allowZero = false,
): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < 0 ||
    (!allowZero && value === 0)
  ) {
    throw new ConfigError(
      `\`${name}\` must be a finite number ${allowZero ? '>= 0' : '> 0'}, got ${String(value)}.`,
    );
  }
  return value;
}

function wholeNumber(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1)
    throw new ConfigError(`\`${name}\` must be a whole number >= 1, got ${String(value)}.`);
  return value;
}

/** Applies defaults and rejects bad options with a `ConfigError` that says what to fix. */
export function resolveOptions(options: XApiEmulationOptions = {}): ResolvedOptions {
  const seedInput = options.seed ?? Math.floor(Math.random() * 0x7fff_ffff);
  if (typeof seedInput !== 'number' && typeof seedInput !== 'string')
    throw new ConfigError('`seed` must be a number or a string.');
  if (typeof seedInput === 'number' && !Number.isFinite(seedInput))
    throw new ConfigError('`seed` must be a finite number.');
  const startTime =
    options.startTime instanceof Date
      ? options.startTime.getTime()
      : (options.startTime ?? Date.now());
  if (!Number.isFinite(startTime))
    throw new ConfigError('`startTime` must be epoch milliseconds or a valid Date.');
  if (
    options.bearerToken !== undefined &&
    (typeof options.bearerToken !== 'string' || options.bearerToken.trim() === '')
  ) {
    throw new ConfigError(
      '`bearerToken` must be a non-empty string (or leave it out to accept any token).',
    );
  }
  const faults = options.faults ?? 'none';
  if (faults !== 'none' && faults !== 'random') {
    if (!Array.isArray(faults))
      throw new ConfigError("`faults` must be 'none', 'random' or an array of faults.");
    for (const fault of faults) validateFault(fault);
  }
  for (const rule of options.rules ?? []) {
    if (typeof rule?.value !== 'string')
      throw new ConfigError('Every entry of `rules` needs a string `value`.');
  }
  const framing = options.framing;
  if (framing !== undefined && !FRAMINGS.includes(framing))
    throw new ConfigError(
      `\`framing\` must be one of ${FRAMINGS.map((f) => `'${f}'`).join(', ')}.`,
    );
  const drift = options.drift ?? 'none';
  if (!PAYLOAD_DRIFTS.includes(drift))
    throw new ConfigError(
      `\`drift\` must be one of ${PAYLOAD_DRIFTS.map((d) => `'${d}'`).join(', ')}.`,
    );
  const gzip = options.gzip ?? 'auto';
  if (gzip !== 'auto' && gzip !== 'always' && gzip !== 'never')
    throw new ConfigError("`gzip` must be 'auto', 'always' or 'never'.");
  let rateLimits: ResolvedOptions['rateLimits'] = X_RATE_LIMITS;
  if (options.rateLimits === false) rateLimits = false;
  else if (options.rateLimits) {
    for (const [key, value] of Object.entries(options.rateLimits))
      positive(value, `rateLimits.${key}`, 1);
    rateLimits = { ...X_RATE_LIMITS, ...options.rateLimits };
  }
  return {
    seedInput,
    seed: normalizeSeed(seedInput),
    rate: positive(options.rate, 'rate', 50, true),
    timeScale: positive(options.timeScale, 'timeScale', 1),
    startTime,
    bearerToken: options.bearerToken,
    rules: options.rules ?? [],
    faults,
    faultIntervalMs: positive(options.faultIntervalMs, 'faultIntervalMs', 60_000),
    faultIntervalPosts:
      options.faultIntervalPosts === undefined
        ? undefined
        : positive(options.faultIntervalPosts, 'faultIntervalPosts', 1),
    keepAliveMs: positive(options.keepAliveMs, 'keepAliveMs', 20_000),
    escapeNonBmp: options.escapeNonBmp ?? true,
    rateLimits,
    maxRules: positive(options.maxRules, 'maxRules', 1000),
    maxRuleLength: positive(options.maxRuleLength, 'maxRuleLength', 1024),
    gzip,
    slowReaderBytes: positive(options.slowReaderBytes, 'slowReaderBytes', 16 * 1024 * 1024),
    maxConnections: wholeNumber(options.maxConnections, 'maxConnections', 1),
    framing,
    drift,
    slowReaderMs:
      options.slowReaderMs === undefined
        ? undefined
        : positive(options.slowReaderMs, 'slowReaderMs', 0),
    phantomTimeoutMs: positive(options.phantomTimeoutMs, 'phantomTimeoutMs', 120_000, true),
    phantomOnReset: options.phantomOnReset ?? false,
    usageCap:
      options.usageCap === undefined ? undefined : wholeNumber(options.usageCap, 'usageCap', 1),
  };
}
