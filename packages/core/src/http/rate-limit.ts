/** The `x-rate-limit-*` headers of a response. On stream endpoints they count connection attempts. */
export interface RateLimitInfo {
  /** Requests allowed in the current window (`x-rate-limit-limit`). */
  limit?: number;
  /** Requests left in the current window (`x-rate-limit-remaining`). */
  remaining?: number;
  /** When the window resets (`x-rate-limit-reset`, epoch seconds), in epoch milliseconds. */
  resetAtMs?: number;
}

type HeaderSource = Headers | Record<string, string | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') {
    return (headers as Headers).get(name) ?? undefined;
  }
  return (headers as Record<string, string | undefined>)[name];
}

function toNumber(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** Reads the rate-limit headers; `undefined` when none is present. */
export function parseRateLimit(headers: HeaderSource): RateLimitInfo | undefined {
  const limit = toNumber(header(headers, 'x-rate-limit-limit'));
  const remaining = toNumber(header(headers, 'x-rate-limit-remaining'));
  const reset = toNumber(header(headers, 'x-rate-limit-reset'));
  if (limit === undefined && remaining === undefined && reset === undefined) return undefined;
  const info: RateLimitInfo = {};
  if (limit !== undefined) info.limit = limit;
  if (remaining !== undefined) info.remaining = remaining;
  if (reset !== undefined) info.resetAtMs = reset * 1000;
  return info;
}
