import { recoveryTimeParams, rfc3339Seconds } from '@birdstream/core';
import { describe, expect, test } from 'vitest';

describe('recoveryTimeParams: a recovery window as X’s start_time/end_time', () => {
  test('whole seconds, RFC 3339 UTC without milliseconds', () => {
    expect(rfc3339Seconds(Date.UTC(2026, 0, 1, 12, 0, 5))).toBe('2026-01-01T12:00:05Z');
  });

  test('the start rounds down and the end up, so the request covers the whole gap', () => {
    const startTime = Date.UTC(2026, 0, 1, 12, 0, 0, 250);
    const endTime = Date.UTC(2026, 0, 1, 12, 7, 0, 1);
    expect(recoveryTimeParams({ startTime, endTime })).toEqual({
      start_time: '2026-01-01T12:00:00Z',
      end_time: '2026-01-01T12:07:01Z',
    });
  });

  test('a window already on whole seconds is sent as is', () => {
    const startTime = Date.UTC(2026, 0, 1, 12, 0, 0);
    const endTime = Date.UTC(2026, 0, 1, 12, 7, 0);
    expect(recoveryTimeParams({ startTime, endTime })).toEqual({
      start_time: '2026-01-01T12:00:00Z',
      end_time: '2026-01-01T12:07:00Z',
    });
  });
});
