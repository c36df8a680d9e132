import { isConfigError, isStallError, StallError } from '@birdstream/core';
import { thrownBy } from '@birdstream/test-utils';
import type { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  heartbeatTimeout,
  isReconnectable,
  type ReconnectRequest,
  reconnectable,
  retryStream,
  type StreamEvent,
} from '../src/index.js';
import { createTestScheduler, keepAlive, post } from './support/marbles.js';

type Event = StreamEvent<unknown>;

let testScheduler: TestScheduler;
beforeEach(() => {
  testScheduler = createTestScheduler();
});

const stalled = (timeoutMs: number) => ({ type: 'stalled', timeoutMs });

describe('heartbeatTimeout', () => {
  it('stays quiet while only keep-alives arrive, every 20 s, for minutes', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const k = keepAlive(0);
      // No post at all: keep-alives alone must feed the timer.
      const source = cold<Event>('k 19999ms k 19999ms k 19999ms k 19999ms k', { k });
      const result = source.pipe(heartbeatTimeout(30_000, testScheduler));
      expectObservable(result, '100s !').toBe('k 19999ms k 19999ms k 19999ms k 19999ms k', { k });
      expectSubscriptions(source.subscriptions).toBe('^ 99999ms !');
    });
  });

  it('errors with StallError and unsubscribes from the source after the keep-alives stop', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const k = keepAlive(0);
      const source = cold<Event>('k 19999ms k', { k });
      const result = source.pipe(heartbeatTimeout(30_000, testScheduler));
      // Last keep-alive at 20 s → stalled at 50 s.
      expectObservable(result).toBe(
        'k 19999ms k 29999ms (s#)',
        { k, s: stalled(30_000) },
        new StallError(30_000),
      );
      expectSubscriptions(source.subscriptions).toBe('^ 49999ms !');
    });
  });

  it('counts every message from X, not only posts: posts, in-band errors, invalid payloads', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const values: Record<string, Event> = {
        c: { type: 'connected', attempt: 0, status: 200, headers: {} },
        p: post('1'),
        e: { type: 'stream-errors', errors: [], withData: false, disconnect: false },
      };
      const source = cold<Event>('c 9s p 9s e', values);
      const result = source.pipe(
        heartbeatTimeout({ stallTimeoutMs: 10_000, scheduler: testScheduler }),
      );
      expectObservable(result).toBe(
        'c 9s p 9s e 9999ms (s#)',
        { ...values, s: stalled(10_000) },
        new StallError(10_000),
      );
    });
  });

  it('starts timing on subscription and does not count locally generated events', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const values = {
        n: { type: 'connecting', attempt: 0, url: 'https://api.x.com/2/tweets/search/stream' },
        b: { type: 'backfill', minutes: 1, outageMs: 0, exceedsWindow: false },
      } as const;
      // A connect that hangs: only local events, so it stalls 30 s after subscribing.
      const source = cold<Event>('n 20s b', values);
      const result = source.pipe(heartbeatTimeout({ scheduler: testScheduler }));
      expectObservable(result).toBe(
        'n 20s b 9998ms (s#)',
        { ...values, s: stalled(30_000) },
        new StallError(30_000),
      );
    });
  });

  it('passes the source error and completion through, and stops its timer', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const k = keepAlive(0);
      expectObservable(cold<Event>('k|', { k }).pipe(heartbeatTimeout(1_000, testScheduler))).toBe(
        'k|',
        { k },
      );
      const boom = new Error('boom');
      expectObservable(
        cold<Event>('k#', { k }, boom).pipe(heartbeatTimeout(1_000, testScheduler)),
      ).toBe('k#', { k }, boom);
    });
  });

  it('makes retryStream reconnect after a stall; alive only until the last byte, so not healthy', () => {
    // Changed with the one supervisor of core: a keep-alive followed by a 30 s stall was
    // alive for 0 ms, not 30 s. rx used to call it healthy (reconnect at once, counters
    // reset, so a server doing this forever never exhausted maxRetries); core never did.
    testScheduler.run(({ cold, expectObservable }) => {
      const k = keepAlive(0);
      const requests: ReconnectRequest[] = [];
      const plan = [cold<Event>('k', { k }), cold<Event>('k', { k })];
      const source = reconnectable((options) => {
        requests.push(options);
        return plan[requests.length - 1]!;
      });
      const guarded = source.pipe(heartbeatTimeout(30_000, testScheduler));
      expect(isReconnectable(guarded)).toBe(true);
      const result = guarded.pipe(
        retryStream({ backfill: 'auto', maxRetries: 1, scheduler: testScheduler }),
      );
      const stall = new StallError(30_000);
      // Alive 0 ms of the 30 s: unhealthy, so X's network back-off (250 ms), then 1 minute of
      // backfill, announced once the new connection is up (its first byte).
      expectObservable(result, '31s !').toBe('k 29999ms (sdr) 245ms (kb)', {
        k,
        s: stalled(30_000),
        d: { type: 'disconnected', reason: stall, durationMs: 30_000, healthy: false },
        r: {
          type: 'reconnecting',
          attempt: 1,
          delayMs: 250,
          reason: stall,
          failure: 'network',
          previous: 'lost',
        },
        b: { type: 'backfill', minutes: 1, outageMs: 30_250, exceedsWindow: false },
      });
      testScheduler.flush();
      expect(requests).toEqual([{ attempt: 0 }, { attempt: 1, backfillMinutes: 1 }]);
    });
  });

  it('a server that sends one keep-alive and then stalls, forever, exhausts maxRetries', () => {
    testScheduler.run(({ cold }) => {
      const k = keepAlive(0);
      const source = reconnectable(() => cold<Event>('k', { k }));
      let final: unknown;
      const disconnects: boolean[] = [];
      source
        .pipe(
          heartbeatTimeout(30_000, testScheduler),
          retryStream({ maxRetries: 3, scheduler: testScheduler }),
        )
        .subscribe({
          next: (e) => {
            if (e.type === 'disconnected') disconnects.push(e.healthy);
          },
          error: (e: unknown) => (final = e),
        });
      testScheduler.flush();
      expect(disconnects).toEqual([false, false, false, false]);
      expect(isStallError(final)).toBe(true);
      expect((final as Error).message).toMatch(/Gave up after 4 attempts/);
    });
  });

  it.each([0, -5, Number.NaN, Number.POSITIVE_INFINITY])('rejects a timeout of %s', (ms) => {
    const error = thrownBy(() => heartbeatTimeout(ms));
    expect(isConfigError(error)).toBe(true);
    expect(isStallError(error)).toBe(false);
  });
});
