import { createApiError, isUsageCapExceededError } from '@birdstream/core';
import { readFixtureText } from '@birdstream/test-utils';
import { describe, expect, test } from 'vitest';

const problem = (period?: string) =>
  JSON.stringify({
    title: 'UsageCapExceeded',
    detail: `Usage cap exceeded: ${period ?? 'Unknown'} product cap`,
    type: 'https://api.twitter.com/2/problems/usage-capped',
    ...(period === undefined ? {} : { period, scope: 'Product' }),
  });

describe('usage-capped says when the cap resets', () => {
  test('the recorded monthly cap: resets with the next billing month; waiting 15 minutes does not help', () => {
    const error = createApiError({
      status: 429,
      headers: { 'x-rate-limit-remaining': '49' },
      bodyText: readFixtureText('errors/usage_capped_429_monthly_product_cap_2026.json'),
    });
    expect(isUsageCapExceededError(error)).toBe(true);
    expect(error.message).toMatch(/monthly cap, which resets when the next billing month starts/);
    expect(error.message).toMatch(/Waiting 15 minutes does not help/);
  });

  test('a daily cap resets at the next UTC midnight', () => {
    const error = createApiError({ status: 429, headers: {}, bodyText: problem('Daily') });
    expect(isUsageCapExceededError(error)).toBe(true);
    expect(error.message).toMatch(/daily cap, which resets at the next UTC midnight/);
  });

  test('without a period, the x-rate-limit-reset header is quoted', () => {
    const error = createApiError({
      status: 429,
      headers: { 'x-rate-limit-reset': String(Date.UTC(2026, 0, 2) / 1000) },
      bodyText: problem(),
    });
    expect(error.message).toMatch(/x-rate-limit-reset says 2026-01-02T00:00:00.000Z/);
  });
});
