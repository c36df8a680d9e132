import { type DedupeOverflow, isConfigError } from '@birdstream/core';
import { thrownBy } from '@birdstream/test-utils';
import { concat, from, ignoreElements, interval, map, take, timer } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { dedupeById, mergeRedundant, type StreamEvent } from '../src/index.js';
import { createTestScheduler, keepAlive, post } from './support/marbles.js';

type Event = StreamEvent<unknown>;

let testScheduler: TestScheduler;
beforeEach(() => {
  testScheduler = createTestScheduler();
});

describe('dedupeById', () => {
  it('drops a post already delivered (backfill after a reconnect) and lets keep-alives through', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const values = { a: post('1'), b: post('2'), c: post('3'), k: keepAlive(0) };
      const source = cold<Event>('a b k a k b c', values);
      expectObservable(source.pipe(dedupeById())).toBe('a b k - k - c', values);
    });
  });

  it('forgets ids older than retainMs, by the scheduler clock', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const values = { a: post('1'), b: post('2') };
      // 1 is re-sent 9 ms later (caught) and 18 ms after its first sighting (forgotten);
      // 2 is re-sent 9 ms later (caught).
      const source = cold<Event>('a 8ms a b 7ms a b', values);
      expectObservable(source.pipe(dedupeById({ retainMs: 10 }))).toBe('a 8ms - b 7ms a -', values);
    });
  });

  it('delivers nothing twice from 12,000 posts of one backfill minute at 200 posts/s', () => {
    testScheduler.run(() => {
      const ids = Array.from({ length: 12_000 }, (_, i) =>
        String(1_900_000_000_000_000_000n + BigInt(i)),
      );
      const live = interval(5).pipe(
        take(ids.length),
        map((i) => post(ids[i] as string)),
      );
      const backfill = interval(1).pipe(
        take(ids.length),
        map((i) => post(ids[i] as string)),
      );
      const source = concat(live, timer(10_000).pipe(ignoreElements()), backfill);
      const overflows: DedupeOverflow[] = [];
      let delivered = 0;
      source.pipe(dedupeById({ onOverflow: (o) => overflows.push(o) })).subscribe(() => {
        delivered += 1;
      });
      testScheduler.flush();
      expect(delivered).toBe(12_000);
      expect(overflows).toEqual([]);
    });
  });

  it('keeps memory bounded by maxIds and reports reaching it instead of duplicating silently', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const values = { a: post('1'), b: post('2'), c: post('3') };
      const overflows: DedupeOverflow[] = [];
      // Bound 2: after 1, 2, 3 the id 1 is forgotten early (reported) and passes again.
      const source = cold<Event>('a b c a c', values);
      expectObservable(
        source.pipe(dedupeById({ maxIds: 2, onOverflow: (o) => overflows.push(o) })),
      ).toBe('a b c a -', values);
      testScheduler.flush();
      expect(overflows).toEqual([{ maxIds: 2, retainMs: 360_000, coveredMs: 2 }]);
    });
  });

  it('still accepts the deprecated count option `window` as the bound', () => {
    const overflows: DedupeOverflow[] = [];
    const delivered: string[] = [];
    from(['1', '2', '1'])
      .pipe(dedupeById<string>({ window: 1, key: (v) => v, onOverflow: (o) => overflows.push(o) }))
      .subscribe((v) => delivered.push(v));
    expect(delivered).toEqual(['1', '2', '1']);
    expect(overflows).toHaveLength(1);
  });

  it('warns through the process when nobody listens for overflows', () => {
    // Captured, not printed: Node would write the warning into the test log.
    const emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      from(['1', '2'])
        .pipe(dedupeById<string>({ maxIds: 1, key: (v) => v }))
        .subscribe();
      expect(emitWarning).toHaveBeenCalledTimes(1);
      const [message, options] = emitWarning.mock.calls[0] ?? [];
      expect(message).toMatch(/reached its bound of 1 ids.*Raise maxIds/);
      expect(options).toEqual({ code: 'BIRDSTREAM_DEDUPE_OVERFLOW' });
    } finally {
      emitWarning.mockRestore();
    }
  });

  it.each([0, -1, 1.5, Number.POSITIVE_INFINITY])('rejects maxIds and window %s', (count) => {
    expect(isConfigError(thrownBy(() => dedupeById({ maxIds: count })))).toBe(true);
    expect(isConfigError(thrownBy(() => dedupeById({ window: count })))).toBe(true);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('rejects retainMs %s', (retainMs) => {
    expect(isConfigError(thrownBy(() => dedupeById({ retainMs })))).toBe(true);
  });
});

describe('mergeRedundant', () => {
  it('merges two redundant connections; each post appears once, from whichever arrived first', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const values = { a: post('1'), b: post('2'), c: post('3'), k: keepAlive(0) };
      const first = cold<Event>('a---b-----k', values);
      const second = cold<Event>('--a-k--b-c', values);
      expectObservable(mergeRedundant(first, second, { window: 100 })).toBe('a---(bk)-ck', values);
    });
  });

  it('errors as soon as either connection errors (give each its own retryStream)', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const values = { a: post('1') };
      const boom = new Error('boom');
      const first = cold<Event>('a--#', values, boom);
      const second = cold<Event>('-a----', values);
      expectObservable(mergeRedundant(first, second)).toBe('a--#', values, boom);
      expectSubscriptions(second.subscriptions).toBe('^--!');
    });
  });
});
