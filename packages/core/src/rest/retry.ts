import type { RetryOptions } from 'ky';

/**
 * How REST requests are retried, in ky's terms: GET only (a POST is retried
 * only when the caller adds `'post'` to `methods`), twice, with exponential
 * backoff (0.3 s, 0.6 s, … capped at 30 s) on 408, 429 and 5xx, on timeouts and
 * on network errors. A 429 or 503 waits for `x-rate-limit-reset` (ky reads
 * X's header natively) instead of the backoff.
 */
export const DEFAULT_RETRY: Readonly<RetryOptions> = {
  limit: 2,
  methods: ['get'],
  statusCodes: [408, 429, 500, 502, 503, 504],
  afterStatusCodes: [429, 503],
  retryOnTimeout: true,
  backoffLimit: 30_000,
};

/** Merges the caller's retry option over {@link DEFAULT_RETRY}. */
export function resolveRetry(retry: number | RetryOptions | undefined): RetryOptions {
  if (retry === undefined) return { ...DEFAULT_RETRY };
  if (typeof retry === 'number') return { ...DEFAULT_RETRY, limit: retry };
  return { ...DEFAULT_RETRY, ...retry };
}
