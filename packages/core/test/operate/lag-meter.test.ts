import { describe, expect, test } from 'vitest';
import { itemTime, LagMeter } from '../../src/operate/lag-meter.js';
import { snowflakeTime } from '../../src/operate/snowflake.js';

describe('LagMeter', () => {
  test('reports nothing before an interval has passed', () => {
    const meter = new LagMeter({ intervalMs: 1000 }, 0);
    meter.received(10, 5);
    expect(meter.tick(999)).toBeUndefined();
  });

  test('a fast consumer of fresh posts is not behind', () => {
    const meter = new LagMeter({ intervalMs: 1000, maxAgeMs: 30_000 }, 0);
    for (let t = 0; t < 1000; t += 10) {
      meter.received(t, t - 2000); // 2 s old on arrival
      meter.delivered(t);
      meter.released(t + 1); // held 1 ms
    }
    const tick = meter.tick(1000)!;
    expect(tick.stat.ageMs).toEqual({ p50: 2000, max: 2000 });
    expect(tick.stat.holdMs).toEqual({ p50: 1, max: 1 });
    expect(tick.stat.consumerShare).toBeCloseTo(0.1);
    expect(tick.stat.receivedPerSecond).toBe(100);
    expect(tick.stat.fallingBehind).toBeUndefined();
    expect(tick.startedFallingBehind).toBe(false);
  });

  test('a consumer busy all the time is saturated, warned once, then caught up', () => {
    const meter = new LagMeter({ intervalMs: 1000 }, 0);
    const slowInterval = (start: number) => {
      for (let t = start; t < start + 1000; t += 100) {
        meter.received(t, t);
        meter.delivered(t);
        meter.released(t + 100); // holds each message until the next arrives
      }
    };
    slowInterval(0);
    const first = meter.tick(1000)!;
    expect(first.stat.fallingBehind).toBe('consumer-saturated');
    expect(first.startedFallingBehind).toBe(true);
    slowInterval(1000);
    expect(meter.tick(2000)!.startedFallingBehind).toBe(false);
    meter.received(2100, 2100);
    meter.delivered(2100);
    meter.released(2101);
    const third = meter.tick(3000)!;
    expect(third.caughtUp).toBe(true);
    expect(third.stat.fallingBehind).toBeUndefined();
  });

  test('a message still held at the end of the interval counts toward the consumer share', () => {
    const meter = new LagMeter({ intervalMs: 1000 }, 0);
    meter.delivered(0); // never released: the consumer is stuck on it
    const tick = meter.tick(1000)!;
    expect(tick.stat.consumerShare).toBe(1);
    expect(tick.stat.fallingBehind).toBe('consumer-saturated');
  });

  test('posts arriving older than maxAgeMs mean posts-aging', () => {
    const meter = new LagMeter({ intervalMs: 1000, maxAgeMs: 30_000 }, 0);
    meter.received(500, 500 - 45_000);
    meter.received(600, 600 - 50_000);
    meter.received(700, 700 - 1_000);
    meter.waiting(3, 4096);
    const tick = meter.tick(1000)!;
    expect(tick.stat.ageMs).toEqual({ p50: 45_000, max: 50_000 });
    expect(tick.stat.fallingBehind).toBe('posts-aging');
    expect(tick.stat).toMatchObject({ waitingMessages: 3, waitingBytes: 4096 });
  });
});

describe('itemTime and snowflakeTime', () => {
  test('the time in a post id agrees with the recorded created_at (2021-04-01T15:52:31.000Z)', () => {
    // stream/twarc-csv/msg_00_tweet_1377650090978992134.json; created_at has whole seconds
    expect(new Date(snowflakeTime('1377650090978992134')!).toISOString()).toBe(
      '2021-04-01T15:52:31.847Z',
    );
    expect(snowflakeTime('12345')).toBeUndefined();
    expect(snowflakeTime('not-an-id-at-all!')).toBeUndefined();
  });

  test('created_at wins, then a compliance event_at, then the id', () => {
    expect(
      itemTime(
        { data: { id: '1377650090978992134', created_at: '2026-01-01T00:00:00.000Z' } },
        snowflakeTime,
      ),
    ).toBe(Date.UTC(2026, 0, 1));
    expect(
      itemTime(
        { data: { delete: { tweet: { id: '1' }, event_at: '2026-02-01T00:00:00.000Z' } } },
        snowflakeTime,
      ),
    ).toBe(Date.UTC(2026, 1, 1));
    expect(itemTime({ data: { id: '1377650090978992134' } }, snowflakeTime)).toBe(
      snowflakeTime('1377650090978992134'),
    );
    expect(itemTime({ errors: [] }, snowflakeTime)).toBeUndefined();
  });
});
