import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  DEFAULT_DEDUPE_MAX_IDS,
  DEFAULT_DEDUPE_RETAIN_MS,
  type DedupeOverflow,
  TimedIdWindow,
} from '../../src/dedupe/timed-id-window.js';

/** A clock whose time only moves when the test sets it. */
function steppedClock(start = Date.UTC(2026, 0, 1)) {
  const clock = { time: start, now: () => clock.time };
  return clock;
}

/**
 * One backfill minute at 200 posts/s: 12,000 posts live, a disconnect, then
 * the reconnect's backfill re-sends all 12,000. Returns how many re-sent
 * posts the window lets through.
 */
function redeliveredAfterBackfillMinute(seen: (id: string) => boolean, clock: { time: number }) {
  const ids = Array.from({ length: 12_000 }, (_, i) =>
    String(1_900_000_000_000_000_000n + BigInt(i)),
  );
  for (const id of ids) {
    seen(id);
    clock.time += 5; // 200 posts/s
  }
  clock.time += 10_000; // the reconnect
  let delivered = 0;
  for (const id of ids) {
    if (!seen(id)) delivered += 1;
    clock.time += 1; // the backfill arrives faster than live
  }
  return delivered;
}

describe('TimedIdWindow', () => {
  test('deduplicates all 12,000 posts of one backfill minute at 200 posts/s', () => {
    const clock = steppedClock();
    const overflows: DedupeOverflow[] = [];
    const window = new TimedIdWindow({ clock, onOverflow: (o) => overflows.push(o) });
    expect(redeliveredAfterBackfillMinute((id) => window.seen(id), clock)).toBe(0);
    expect(overflows).toEqual([]);
    expect(window.overflowed).toBe(false);
  });

  test('any id re-seen within the window is caught, whatever the ids and timing', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60_000 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 5_000 })), {
          maxLength: 300,
        }),
        (retainMs, steps) => {
          const clock = steppedClock();
          const window = new TimedIdWindow({ retainMs, clock });
          const firstSeen = new Map<string, number>();
          for (const [n, advance] of steps) {
            clock.time += advance;
            const id = `id-${n}`;
            const first = firstSeen.get(id);
            const within = first !== undefined && clock.time - first < retainMs;
            const seen = window.seen(id);
            // Re-seen within retainMs of its first sighting: always caught.
            if (within) expect(seen).toBe(true);
            else {
              // Never seen, or forgotten by age: delivered and remembered afresh.
              expect(seen).toBe(false);
              firstSeen.set(id, clock.time);
            }
          }
        },
      ),
    );
  });

  test('forgets ids by age, so memory follows the rate, not the stream length', () => {
    const clock = steppedClock();
    const window = new TimedIdWindow({ retainMs: 1_000, clock });
    for (let i = 0; i < 10_000; i++) {
      window.seen(String(i));
      clock.time += 10; // 100/s for 100 s: about 100 ids within any second
    }
    expect(window.count).toBeLessThanOrEqual(101);
    expect(window.seen('9999')).toBe(true);
    expect(window.seen('0')).toBe(false);
  });

  test('covers a longer recovery window when asked', () => {
    const clock = steppedClock();
    const window = new TimedIdWindow({ retainMs: 30 * 60_000, clock });
    window.seen('old');
    clock.time += 29 * 60_000;
    expect(window.seen('old')).toBe(true);
    clock.time += 2 * 60_000;
    expect(window.seen('old')).toBe(false);
  });

  test('reports hitting its memory bound once per episode, never silently', () => {
    const clock = steppedClock();
    const overflows: DedupeOverflow[] = [];
    const window = new TimedIdWindow({
      retainMs: 10_000,
      maxIds: 3,
      clock,
      onOverflow: (o) => overflows.push(o),
    });
    for (const id of ['a', 'b', 'c']) {
      window.seen(id);
      clock.time += 100;
    }
    expect(window.overflowed).toBe(false);
    window.seen('d'); // forces out 'a', only 300 ms old
    window.seen('e');
    expect(window.count).toBe(3);
    expect(window.overflowed).toBe(true);
    expect(window.earlyEvictions).toBe(2);
    expect(overflows).toEqual([{ maxIds: 3, retainMs: 10_000, coveredMs: 300 }]);
    expect(window.seen('a')).toBe(false); // the duplicate the report warned of

    clock.time += 20_000; // the rate dropped: everything leaves by age
    window.seen('f');
    expect(window.overflowed).toBe(false);
    for (const id of ['g', 'h', 'i']) window.seen(id);
    expect(overflows).toHaveLength(2);
  });

  test('defaults cover X backfill window with margin; rejects nonsense options', () => {
    const window = new TimedIdWindow();
    expect(window.retainMs).toBe(DEFAULT_DEDUPE_RETAIN_MS);
    expect(DEFAULT_DEDUPE_RETAIN_MS).toBeGreaterThan(5 * 60_000);
    expect(window.maxIds).toBe(DEFAULT_DEDUPE_MAX_IDS);
    expect(() => new TimedIdWindow({ retainMs: 0 })).toThrow(RangeError);
    expect(() => new TimedIdWindow({ retainMs: Number.POSITIVE_INFINITY })).toThrow(/finite/);
    expect(() => new TimedIdWindow({ maxIds: 0 })).toThrow(/positive integer/);
  });
});

describe('hold(since): a recovery keeps the keys it may replay', () => {
  test('ids first seen at or after `since` outlive retainMs until released; older ones go as usual', () => {
    const clock = steppedClock(0);
    const window = new TimedIdWindow({ retainMs: 1_000, clock });
    window.seen('before'); // t = 0
    clock.time = 500;
    window.seen('edge'); // t = 500
    const release = window.hold(500);
    clock.time = 10_000; // far past the retention
    expect(window.seen('before')).toBe(false); // not held: forgotten, recorded anew at t = 10,000
    expect(window.seen('edge')).toBe(true); // held
    release();
    release(); // twice is harmless
    clock.time = 10_500;
    expect(window.seen('edge')).toBe(false); // released: gone by age
  });

  test('the earliest of several holds decides; releasing it leaves the later one in force', () => {
    const clock = steppedClock(0);
    const window = new TimedIdWindow({ retainMs: 100, clock });
    window.seen('a'); // t = 0
    clock.time = 50;
    window.seen('b'); // t = 50
    const early = window.hold(0);
    const late = window.hold(50);
    clock.time = 1_000;
    expect(window.seen('a')).toBe(true);
    early();
    clock.time = 1_001;
    expect(window.seen('b')).toBe(true);
    expect(window.seen('a')).toBe(false); // only the later hold is left: 'a' (t = 0) went
    late();
  });

  test('maxIds still bounds a hold: the overflow is reported', () => {
    const clock = steppedClock(0);
    const overflows: DedupeOverflow[] = [];
    const window = new TimedIdWindow({
      retainMs: 10,
      maxIds: 3,
      clock,
      onOverflow: (o) => overflows.push(o),
    });
    window.hold(0);
    for (let i = 0; i < 5; i++) {
      window.seen(String(i));
      clock.time += 100;
    }
    expect(window.count).toBe(3);
    expect(overflows).toHaveLength(1);
  });
});
