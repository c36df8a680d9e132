import { describe, expect, test } from 'vitest';
import { ManualClock } from '../src/manual-clock.js';

describe('ManualClock', () => {
  test('fires timers in due order, only when time is advanced past them', async () => {
    const clock = new ManualClock(1_000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b@300'), 300);
    clock.setTimeout(() => fired.push('a@100'), 100);
    clock.setTimeout(() => fired.push('c@300'), 300);

    await clock.advance(99);
    expect(fired).toEqual([]);
    expect(clock.now()).toBe(1_099);

    await clock.advance(201);
    expect(fired).toEqual(['a@100', 'b@300', 'c@300']);
    expect(clock.now()).toBe(1_300);
    expect(clock.pendingTimers).toBe(0);
  });

  test('timers scheduled by a firing timer run within the same advance when due', async () => {
    const clock = new ManualClock(0);
    const at: number[] = [];
    clock.setTimeout(() => {
      at.push(clock.now());
      clock.setTimeout(() => at.push(clock.now()), 50);
    }, 100);
    await clock.advance(200);
    expect(at).toEqual([100, 150]);
  });

  test('clearTimeout cancels, next() jumps to the next timer and reports the wait', async () => {
    const clock = new ManualClock(0);
    const fired: number[] = [];
    const handle = clock.setTimeout(() => fired.push(1), 10);
    clock.setTimeout(() => fired.push(2), 250);
    clock.clearTimeout(handle);
    expect(clock.pendingDelays()).toEqual([250]);
    expect(await clock.next()).toBe(250);
    expect(fired).toEqual([2]);
    expect(await clock.next()).toBeUndefined();
  });

  test('promise continuations run between timers', async () => {
    const clock = new ManualClock(0);
    const log: string[] = [];
    const wait = (ms: number) => new Promise<void>((resolve) => clock.setTimeout(resolve, ms));
    const task = (async () => {
      await wait(10);
      log.push(`first at ${clock.now()}`);
      await wait(10);
      log.push(`second at ${clock.now()}`);
    })();
    await clock.advance(20);
    await task;
    expect(log).toEqual(['first at 10', 'second at 20']);
  });
});
