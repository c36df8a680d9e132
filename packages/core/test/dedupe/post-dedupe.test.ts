import {
  DEFAULT_DEDUPE_MAX_IDS,
  DEFAULT_DEDUPE_RETAIN_MS,
  type DedupeOverflow,
} from '@birdstream/core';
import { createPostDedupe, resolveDedupe } from '@birdstream/core/internal';
import { describe, expect, test } from 'vitest';

describe('resolveDedupe', () => {
  test('true is by time with the defaults; false is off', () => {
    expect(resolveDedupe(true)).toEqual({
      retainMs: DEFAULT_DEDUPE_RETAIN_MS,
      maxIds: DEFAULT_DEDUPE_MAX_IDS,
    });
    expect(resolveDedupe(false)).toBeUndefined();
  });

  test('the deprecated { window } alone keeps counting ids', () => {
    expect(resolveDedupe({ window: 500 })).toEqual({ window: 500 });
    expect(resolveDedupe({ window: 500, retainMs: 60_000 })).toEqual({
      retainMs: 60_000,
      maxIds: DEFAULT_DEDUPE_MAX_IDS,
    });
  });

  test.each([
    [{ retainMs: 0 }, /retainMs must be a positive number/],
    [{ maxIds: 0.5 }, /maxIds must be a positive whole number/],
    [{ window: 0 }, /window must be a positive whole number/],
    ['yes', /dedupe must be true, false or/],
  ])('refuses %j', (option, message) => {
    expect(() => resolveDedupe(option as never)).toThrow(message);
  });
});

describe('createPostDedupe', () => {
  test('12,000 replays of one backfill minute at 200 posts/s are all caught (a 10,000-id count window is not enough)', () => {
    let now = Date.UTC(2026, 11, 3);
    const clock = { now: () => now };
    const dedupe = createPostDedupe(resolveDedupe(true), clock)!;
    const ids = Array.from({ length: 12_000 }, (_, i) =>
      String(1_000_000_000_000_000_000n + BigInt(i)),
    );
    for (const id of ids) {
      expect(dedupe.seen(id, clock.now())).toBe(false);
      now += 5; // 200 posts/s
    }
    const replayed = ids.filter((id) => dedupe.seen(id, clock.now())).length;
    expect(replayed).toBe(12_000);
    const byCount = createPostDedupe({ window: 10_000 }, clock)!;
    for (const id of ids) byCount.seen(id, clock.now());
    expect(ids.filter((id) => byCount.seen(id, clock.now())).length).toBeLessThan(12_000);
  });

  test('a full memory reports the overflow instead of forgetting silently', () => {
    let now = Date.UTC(2026, 11, 3);
    const clock = { now: () => now };
    const overflows: DedupeOverflow[] = [];
    const dedupe = createPostDedupe({ retainMs: 60_000, maxIds: 3 }, clock, (o) =>
      overflows.push(o),
    )!;
    for (const id of ['a', 'b', 'c']) dedupe.seen(id, clock.now());
    expect(overflows).toEqual([]);
    now += 1_000;
    dedupe.seen('d', clock.now());
    expect(overflows).toEqual([{ maxIds: 3, retainMs: 60_000, coveredMs: 1_000 }]);
    expect(dedupe.seen('a', clock.now())).toBe(false); // forgotten early: that is what was reported
  });
});
