import { ManualClock } from '@birdstream/test-utils';
import { describe, expect, test } from 'vitest';
import { StallWatchdog } from '../../src/driver/stall-watchdog.js';

function setup(timeoutMs = 30_000) {
  const clock = new ManualClock();
  let stalls = 0;
  const watchdog = new StallWatchdog(clock, timeoutMs, () => {
    stalls++;
  });
  return { clock, watchdog, stalls: () => stalls };
}

describe('StallWatchdog', () => {
  test('fires once after timeoutMs without activity, then leaves no timer', async () => {
    const { clock, watchdog, stalls } = setup();
    watchdog.arm();
    expect(clock.pendingDelays()).toEqual([30_000]);
    await clock.advance(29_999);
    expect(stalls()).toBe(0);
    await clock.advance(1);
    expect(stalls()).toBe(1);
    expect(clock.pendingTimers).toBe(0);
    await clock.advance(60_000);
    expect(stalls()).toBe(1);
  });

  test('activity restarts the countdown (keep-alives every 20 s keep it quiet)', async () => {
    const { clock, watchdog, stalls } = setup();
    watchdog.arm();
    for (let i = 0; i < 10; i++) {
      await clock.advance(20_000);
      watchdog.touch();
    }
    expect(stalls()).toBe(0);
    await clock.advance(29_999);
    expect(stalls()).toBe(0);
    await clock.advance(1);
    expect(stalls()).toBe(1);
  });

  test('touch only records the time: one timer at most, ever', async () => {
    const { clock, watchdog } = setup();
    watchdog.arm();
    for (let i = 0; i < 100; i++) watchdog.touch();
    expect(clock.pendingTimers).toBe(1);
    await clock.advance(10_000);
    watchdog.touch();
    await clock.advance(20_000); // the first timer fires, sees activity 20 s ago, waits 10 s more
    expect(clock.pendingDelays()).toEqual([10_000]);
  });

  test('disarmed while the consumer holds a post: no stall however long', async () => {
    const { clock, watchdog, stalls } = setup();
    watchdog.arm();
    await clock.advance(5_000);
    watchdog.disarm();
    await clock.advance(300_000);
    expect(stalls()).toBe(0);
    watchdog.arm(); // a full timeout again from here
    await clock.advance(29_999);
    expect(stalls()).toBe(0);
    await clock.advance(1);
    expect(stalls()).toBe(1);
  });

  test('stop clears the timer and prevents firing', async () => {
    const { clock, watchdog, stalls } = setup();
    watchdog.arm();
    watchdog.stop();
    expect(clock.pendingTimers).toBe(0);
    watchdog.arm();
    expect(clock.pendingTimers).toBe(0);
    await clock.advance(100_000);
    expect(stalls()).toBe(0);
  });
});
