import type { StreamEndpointName } from '@birdstream/core';
import type { EmulatedClock } from './emulated-clock.js';
import { STREAM_NAMES } from './stream-routes.js';

/** The endpoints X rate-limits separately: every stream of core's endpoint table, and the rules calls. */
export type RateLimitedEndpoint =
  | StreamEndpointName
  | 'rules-get'
  | 'rules-post'
  | 'rules-counts'
  | 'connections'
  | 'connections-kill-all'
  | 'usage'
  | 'webhooks';

/**
 * Requests per 15-minute window, per app, as X documents them (spec §5.2).
 * On the stream endpoints they count connection attempts (50 on every
 * stream, X's documented figure for the post streams). X documents no limit
 * for rule counts, the connections list or usage; the emulator uses the GET
 * rules one. `DELETE /2/connections/all` is limited to 25 (spec §1.3).
 */
export const X_RATE_LIMITS: Readonly<Record<RateLimitedEndpoint, number>> = Object.freeze({
  ...(Object.fromEntries(STREAM_NAMES.map((name) => [name, 50])) as Record<
    StreamEndpointName,
    number
  >),
  'rules-get': 450,
  'rules-post': 100,
  'rules-counts': 450,
  connections: 450,
  'connections-kill-all': 25,
  usage: 450,
  webhooks: 450,
});

const WINDOW_MS = 15 * 60_000;

/** The three `x-rate-limit-*` values of a response. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Epoch seconds (emulated time). */
  reset: number;
  allowed: boolean;
}

/** Fixed 15-minute windows per endpoint, in emulated time. */
export class RateLimiter {
  private readonly windows = new Map<RateLimitedEndpoint, { start: number; used: number }>();

  constructor(
    private readonly clock: EmulatedClock,
    private readonly limits: Readonly<Record<RateLimitedEndpoint, number>> | false,
  ) {}

  /** Counts one request and returns the headers' values. */
  consume(endpoint: RateLimitedEndpoint): RateLimitState {
    const now = this.clock.now();
    const limit = this.limits ? this.limits[endpoint] : 1_000_000;
    let window = this.windows.get(endpoint);
    if (!window || now >= window.start + WINDOW_MS) {
      window = { start: now, used: 0 };
      this.windows.set(endpoint, window);
    }
    const reset = Math.ceil((window.start + WINDOW_MS) / 1000);
    if (this.limits && window.used >= limit) return { limit, remaining: 0, reset, allowed: false };
    window.used++;
    return { limit, remaining: Math.max(0, limit - window.used), reset, allowed: true };
  }
}

export function rateLimitHeaders(
  state: Pick<RateLimitState, 'limit' | 'remaining' | 'reset'>,
): Record<string, string> {
  return {
    'x-rate-limit-limit': String(state.limit),
    'x-rate-limit-remaining': String(state.remaining),
    'x-rate-limit-reset': String(state.reset),
  };
}
