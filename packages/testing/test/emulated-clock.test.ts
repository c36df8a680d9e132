import { describe, expect, it, vi } from 'vitest';
import { EmulatedClock } from '../src/engine/emulated-clock.js';

describe('EmulatedClock.setTimeScale', () => {
  it('changes the speed from now on, with emulated time continuous', () => {
    let real = 1_000;
    const spy = vi.spyOn(performance, 'now').mockImplementation(() => real);
    try {
      const clock = new EmulatedClock(0, 100);
      real += 10; // 10 real ms at ×100
      expect(clock.now()).toBe(1_000);
      clock.setTimeScale(2);
      expect(clock.now()).toBe(1_000); // no jump
      expect(clock.timeScale).toBe(2);
      real += 10; // 10 real ms at ×2
      expect(clock.now()).toBe(1_020);
      expect(clock.elapsed()).toBe(1_020);
      expect(clock.toRealMs(1_000)).toBe(500);
      expect(() => clock.setTimeScale(0)).toThrow(RangeError);
    } finally {
      spy.mockRestore();
    }
  });

  it('a timer pending when time slows down still fires at its emulated due time, not earlier', async () => {
    const clock = new EmulatedClock(0, 1_000);
    const fired: number[] = [];
    const started = clock.now();
    clock.setTimeout(() => fired.push(clock.now() - started), 20_000); // 20 real ms at ×1000
    clock.setTimeScale(500); // now 40 real ms
    await vi.waitFor(() => expect(fired).toHaveLength(1), { timeout: 2_000, interval: 5 });
    expect(fired[0]).toBeGreaterThanOrEqual(20_000);
  });
});
