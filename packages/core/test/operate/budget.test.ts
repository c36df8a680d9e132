import { describe, expect, test } from 'vitest';
import { Budget } from '../../src/operate/budget.js';

const T0 = Date.UTC(2026, 11, 3, 12, 0, 0); // 2026-12-03 12:00 UTC

describe('Budget', () => {
  test('warns once at the threshold and is exhausted at the limit', () => {
    const budget = new Budget({ maxPosts: 10, warnAt: 0.8 }, T0);
    const steps = Array.from({ length: 10 }, (_, i) => budget.record(T0 + i * 1000));
    expect(steps.map((s) => s.warn)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      true,
      false,
      false,
    ]);
    expect(steps.map((s) => s.exhausted)).toEqual([...Array(9).fill(false), true]);
    expect(budget.exhausted(T0 + 10_000)).toBe(true);
    expect(steps[9]!.usage).toMatchObject({
      delivered: 10,
      limit: 10,
      percent: 100,
      period: 'day',
    });
  });

  test('projects the period’s total from the rate so far', () => {
    const budget = new Budget({ maxPosts: 1_000_000, period: 'day' }, T0);
    // 1 post per second for 100 s; 12 h (43,200 s) remain in the UTC day.
    let last = budget.record(T0);
    for (let i = 1; i <= 100; i++) last = budget.record(T0 + i * 1000);
    expect(last.usage.projected).toBe(Math.round(101 + (101 / 100_000) * (43_200_000 - 100_000)));
    expect(last.usage.periodStart).toBe(Date.UTC(2026, 11, 3));
    expect(last.usage.periodEnd).toBe(Date.UTC(2026, 11, 4));
  });

  test('a new UTC day starts over; alreadyDelivered counts for the first day only', () => {
    const budget = new Budget({ maxPosts: 5, alreadyDelivered: 4 }, T0);
    expect(budget.record(T0).exhausted).toBe(true);
    const nextDay = Date.UTC(2026, 11, 4, 0, 0, 1);
    expect(budget.exhausted(nextDay)).toBe(false);
    const step = budget.record(nextDay);
    expect(step.usage.delivered).toBe(1);
    expect(step.usage.periodStart).toBe(Date.UTC(2026, 11, 4));
  });

  test('a month budget rolls over on the UTC calendar month', () => {
    const budget = new Budget({ maxPosts: 100, period: 'month' }, Date.UTC(2026, 11, 31, 23, 59));
    budget.record(Date.UTC(2026, 11, 31, 23, 59, 30));
    const step = budget.record(Date.UTC(2027, 0, 1, 0, 0, 1));
    expect(step.usage.delivered).toBe(1);
    expect(step.usage.periodEnd).toBe(Date.UTC(2027, 1, 1));
  });

  test("'run' never rolls over and has no projection", () => {
    const budget = new Budget({ maxPosts: 2, period: 'run' }, T0);
    budget.record(T0 + 86_400_000 * 40);
    const step = budget.record(T0 + 86_400_000 * 41);
    expect(step.exhausted).toBe(true);
    expect(step.usage.projected).toBeUndefined();
  });

  test('starting at or past the threshold does not warn again', () => {
    const budget = new Budget({ maxPosts: 10, alreadyDelivered: 9 }, T0);
    expect(budget.record(T0).warn).toBe(false);
  });

  test.each([
    [{ maxPosts: 0 }, /maxPosts must be a whole number ≥ 1/],
    [{ maxPosts: 1.5 }, /maxPosts/],
    [{ maxPosts: 10, period: 'week' }, /period must be 'day', 'month' or 'run'/],
    [{ maxPosts: 10, warnAt: 0 }, /warnAt must be a share above 0 and at most 1/],
    [{ maxPosts: 10, alreadyDelivered: -1 }, /alreadyDelivered/],
  ])('refuses %j', (option, message) => {
    expect(() => new Budget(option as never, T0)).toThrow(message);
  });
});
