import { RECOVERY_MARGIN_MS } from '@birdstream/core/internal';
import { describe, expect, it } from 'vitest';
import { takeoverPlan } from '../src/index.js';

const MIN = 60_000;
const NOW = Date.parse('2026-12-01T12:00:00Z');

describe('takeoverPlan: where a claimed partition continues', () => {
  it('anchors at the newest post written, less core’s recovery margin', () => {
    const plan = takeoverPlan('firehose', NOW - 30_000, NOW, true);
    expect(plan).toEqual({
      anchor: NOW - 30_000 - RECOVERY_MARGIN_MS,
      outageMs: 30_000 + RECOVERY_MARGIN_MS,
      backfillMinutes: 2,
      exceedsWindow: false,
      recovery: 'not-needed',
    });
  });

  it('a worker that was 3 minutes behind: the backfill reaches back past the posts it never wrote', () => {
    // Its last write was a moment ago, but of a post created 3 minutes earlier.
    const plan = takeoverPlan('firehose', NOW - 3 * MIN, NOW, true);
    // 4 minutes from the anchor, plus core's margins (delivery lag, the request's arrival): 5.
    expect(plan.backfillMinutes).toBe(5);
    expect(plan.recovery).toBe('not-needed');
    expect(NOW - plan.backfillMinutes * MIN).toBeLessThanOrEqual(
      NOW - 3 * MIN - RECOVERY_MARGIN_MS,
    );
  });

  it('the plan is what core asks for: a gap of 4:45 exceeds the 5 minutes once the margins count', () => {
    const plan = takeoverPlan('firehose', NOW - (4 * MIN + 45_000) + RECOVERY_MARGIN_MS, NOW, true);
    expect(plan).toMatchObject({ backfillMinutes: 5, exceedsWindow: true, recovery: 'recovering' });
  });

  it('beyond 5 minutes: backfill 5 and core’s gap recovery where the endpoint has it', () => {
    expect(takeoverPlan('firehose', NOW - 12 * MIN, NOW, true)).toMatchObject({
      backfillMinutes: 5,
      exceedsWindow: true,
      recovery: 'recovering',
    });
  });

  it('beyond 5 minutes without recovery (turned off): the minutes nothing replays, plainly', () => {
    const plan = takeoverPlan('firehose', NOW - 12 * MIN, NOW, false);
    expect(plan).toMatchObject({ recovery: 'unavailable', backfillMinutes: 5 });
    expect(plan.unrecoverable).toEqual({
      startTime: NOW - 12 * MIN - RECOVERY_MARGIN_MS,
      endTime: NOW - 5 * MIN,
    });
  });

  it('an endpoint without recovery (the sample stream) cannot recover, whatever is asked', () => {
    const plan = takeoverPlan('sample', NOW - 20 * MIN, NOW, true);
    expect(plan.recovery).toBe('unavailable');
    expect(plan.unrecoverable?.endTime).toBe(NOW - 5 * MIN);
  });
});
