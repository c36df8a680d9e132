import { type ConfigError, isConfigError, isConnectionError } from '@birdstream/core';
import { thrownBy } from '@birdstream/test-utils';
import { type Observable, tap } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  keepReconnectable,
  type ReconnectRequest,
  reconnectable,
  retryStream,
  type StreamEvent,
} from '../src/index.js';
import {
  authenticationError,
  networkError,
  rateLimitError,
  serverError,
} from './support/errors.js';
import { createTestScheduler, keepAlive, post } from './support/marbles.js';

type Event = StreamEvent<unknown>;

let testScheduler: TestScheduler;
beforeEach(() => {
  testScheduler = createTestScheduler();
});

/** A reconnectable fake source: connection n is `plan[n]`; records when and how it was asked to connect. */
function plannedSource(plan: Observable<Event>[]) {
  const requests: (ReconnectRequest & { at: number })[] = [];
  const source = reconnectable((options) => {
    requests.push({ at: testScheduler.now(), ...options });
    const next = plan[requests.length - 1];
    if (!next) throw new Error('the test plan has no more connections');
    return next;
  });
  return { source, requests };
}

const backfill = (minutes: number, outageMs: number, exceedsWindow = false) => ({
  type: 'backfill',
  minutes,
  outageMs,
  exceedsWindow,
});

describe("retryStream({ backfill: 'auto' })", () => {
  it('requests 1 minute after a short network blip, and emits the backfill event once reconnected', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const net = networkError();
      const k = keepAlive(0);
      const { source, requests } = plannedSource([
        cold<Event>('k 9999ms #', { k }, net),
        cold<Event>('k', { k }),
      ]);
      const result = source.pipe(retryStream({ backfill: 'auto', scheduler: testScheduler }));
      expectObservable(result).toBe('k 9999ms (dr) 246ms (kb)', {
        k,
        d: { type: 'disconnected', reason: net, durationMs: 10_000, healthy: false },
        r: {
          type: 'reconnecting',
          attempt: 1,
          delayMs: 250,
          reason: net,
          failure: 'network',
          previous: 'lost',
        },
        b: backfill(1, 10_250),
      });
      testScheduler.flush();
      expect(requests).toEqual([
        { at: 0, attempt: 0 },
        { at: 10_250, attempt: 1, backfillMinutes: 1 },
      ]);
    });
  });

  it('sizes backfill_minutes to the outage since the last event, across failed attempts', () => {
    testScheduler.run(({ cold }) => {
      const net = networkError();
      const limited = rateLimitError();
      const { source, requests } = plannedSource([
        // Healthy: keep-alive at 0, a post at 20 s, dropped at 40 s → reconnect at once.
        cold<Event>('k 19999ms p 19999ms #', { k: keepAlive(0), p: post('1') }, net),
        cold<Event>('#', undefined, limited), // 40 s: 429 → wait 60 s
        cold<Event>('#', undefined, limited), // 100 s: 429 → wait 120 s
        cold<Event>('k', { k: keepAlive(220_000) }), // 220 s: up
      ]);
      const events: Event[] = [];
      source
        .pipe(retryStream({ backfill: 'auto', scheduler: testScheduler }))
        .subscribe((event) => events.push(event as Event));
      testScheduler.flush();
      expect(requests).toEqual([
        { at: 0, attempt: 0 },
        { at: 40_000, attempt: 1, backfillMinutes: 1 }, // outage 20 s
        { at: 100_000, attempt: 2, backfillMinutes: 2 }, // outage 80 s
        { at: 220_000, attempt: 3, backfillMinutes: 4 }, // outage 200 s
      ]);
      // Refused attempts announce nothing; the connection that came up announces its backfill.
      expect(events.filter((e) => e.type === 'backfill')).toEqual([backfill(4, 200_000)]);
    });
  });

  it('caps at 5 minutes and flags an outage longer than the backfill window', () => {
    testScheduler.run(({ cold }) => {
      const http = serverError();
      // 5xx six times: waits 5, 10, 20, 40, 80, 160 s → the 7th connect is 315 s after the start.
      const failing = Array.from({ length: 6 }, () => cold<Event>('#', undefined, http));
      const { source, requests } = plannedSource([
        ...failing,
        cold<Event>('k', { k: keepAlive(315_000) }),
      ]);
      const events: Event[] = [];
      source
        .pipe(retryStream({ backfill: 'auto', scheduler: testScheduler }))
        .subscribe((event) => events.push(event as Event));
      testScheduler.flush();
      expect(requests.map((r) => [r.at, r.backfillMinutes])).toEqual([
        [0, undefined],
        [5_000, 1],
        [15_000, 1],
        [35_000, 1],
        [75_000, 2],
        [155_000, 3],
        [315_000, 5],
      ]);
      expect(events.at(-1)).toEqual(backfill(5, 315_000, true));
    });
  });
});

describe('retryStream({ backfill: minutes })', () => {
  it('requests the same minutes on every reconnection', () => {
    testScheduler.run(({ cold }) => {
      const net = networkError();
      const { source, requests } = plannedSource([
        cold<Event>('#', undefined, net),
        cold<Event>('#', undefined, net),
        cold<Event>('k', { k: keepAlive(750) }),
      ]);
      const events: Event[] = [];
      source
        .pipe(retryStream({ backfill: 2, scheduler: testScheduler }))
        .subscribe((event) => events.push(event as Event));
      testScheduler.flush();
      expect(requests.map((r) => r.backfillMinutes)).toEqual([undefined, 2, 2]);
      // Only the reconnection that came up announces it.
      expect(events.filter((e) => e.type === 'backfill')).toEqual([backfill(2, 750)]);
    });
  });

  it.each([0, 6, 2.5, Number.NaN, true])('rejects backfill %s with a ConfigError', (minutes) => {
    expect(() => retryStream({ backfill: minutes as 1 })).toThrow(
      /backfill must be 'auto', a whole number of minutes from 1 to 5, or false/,
    );
  });

  it('requests no backfill with backfill: false, on any source', () => {
    testScheduler.run(({ cold }) => {
      const net = networkError();
      const { source, requests } = plannedSource([
        cold<Event>('#', undefined, net),
        cold<Event>('-'),
      ]);
      const events: Event[] = [];
      source
        .pipe(retryStream({ backfill: false, scheduler: testScheduler }))
        .subscribe((event) => events.push(event as Event));
      testScheduler.flush();
      expect(requests.map((r) => r.backfillMinutes)).toEqual([undefined, undefined]);
      expect(events.map((e) => e.type)).toEqual(['reconnecting']);
      expect(() => cold<Event>('-').pipe(retryStream({ backfill: false }))).not.toThrow();
    });
  });
});

describe('retryStream: which sources can be backfilled', () => {
  it('throws a ConfigError when backfill is asked of a source that cannot reconnect with options', () => {
    testScheduler.run(({ cold }) => {
      const plain = cold<Event>('-');
      const error = thrownBy(() => plain.pipe(retryStream({ backfill: 'auto' })));
      expect(isConfigError(error)).toBe(true);
      expect((error as ConfigError).message).toMatch(/keepReconnectable/);
      // A plain tap in between loses the ability too …
      const { source } = plannedSource([]);
      expect(() =>
        source.pipe(
          tap(() => undefined),
          retryStream({ backfill: 2 }),
        ),
      ).toThrow(/needs a birdstream source/);
      // … without backfill, any Observable can be retried.
      expect(() => plain.pipe(retryStream())).not.toThrow();
    });
  });

  it('keeps backfilling through operators wrapped with keepReconnectable', () => {
    testScheduler.run(({ cold }) => {
      const net = networkError();
      const { source, requests } = plannedSource([
        cold<Event>('#', undefined, net),
        cold<Event>('k-', { k: keepAlive(0) }),
      ]);
      const seen: string[] = [];
      source
        .pipe(
          keepReconnectable(tap((event: Event) => seen.push(event.type))),
          retryStream({ backfill: 'auto', scheduler: testScheduler }),
        )
        .subscribe();
      testScheduler.flush();
      expect(requests.map((r) => r.backfillMinutes)).toEqual([undefined, 1]);
      // The wrapped operator runs on the re-created source too.
      expect(seen).toEqual(['keep-alive']);
    });
  });
});

describe('retryStream: policy hook', () => {
  it('lets the hook choose the delay, seeing the class, attempt and default delay', () => {
    testScheduler.run(({ cold, expectSubscriptions }) => {
      const net = networkError();
      const source = cold<Event>('#', undefined, net);
      const contexts: unknown[] = [];
      source
        .pipe(
          retryStream({
            maxRetries: 2,
            scheduler: testScheduler,
            policy: (context) => {
              contexts.push(context);
              return 1_000 * context.attempt;
            },
          }),
        )
        .subscribe({ error: () => undefined });
      expectSubscriptions(source.subscriptions).toBe(['(^!)', '1s (^!)', '3s (^!)']);
      testScheduler.flush();
      expect(contexts).toEqual([
        { error: net, kind: 'network', attempt: 1, defaultDelayMs: 250 },
        { error: net, kind: 'network', attempt: 2, defaultDelayMs: 500 },
        { error: net, kind: 'network', attempt: 3, defaultDelayMs: 750 },
      ]);
    });
  });

  it('stops when the hook returns false', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const http = serverError();
      const source = cold<Event>('-#', undefined, http);
      const result = source.pipe(retryStream({ scheduler: testScheduler, policy: () => false }));
      expectObservable(result).toBe('-#', undefined, http);
    });
  });

  it('may retry an error the policy treats as fatal', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const fatal = authenticationError();
      const source = cold<Event>('#', undefined, fatal);
      const result = source.pipe(
        retryStream({ maxRetries: 1, scheduler: testScheduler, policy: () => 2_000 }),
      );
      expectObservable(result).toBe(
        'r 1999ms #',
        {
          r: {
            type: 'reconnecting',
            attempt: 1,
            delayMs: 2_000,
            reason: fatal,
            failure: 'http',
            previous: 'refused',
          },
        },
        fatal,
      );
    });
  });

  it('applies schedule overrides and jitter from the injected random source', () => {
    testScheduler.run(({ cold, expectSubscriptions }) => {
      const source = cold<Event>('#', undefined, serverError());
      source
        .pipe(
          retryStream({
            maxRetries: 2,
            scheduler: testScheduler,
            schedule: { httpInitialMs: 1_000, jitter: 0.5 },
            random: () => 0.5,
          }),
        )
        .subscribe({ error: () => undefined });
      // 1000 + 25 %, then 2000 + 25 %.
      expectSubscriptions(source.subscriptions).toBe(['(^!)', '1250ms (^!)', '3750ms (^!)']);
    });
  });
});

describe('retryStream: teardown and errors', () => {
  it('cancels a pending reconnect at once when unsubscribed during back-off', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const http = serverError();
      const source = cold<Event>('#', undefined, http);
      const result = source.pipe(retryStream({ scheduler: testScheduler }));
      expectObservable(result, '2s !').toBe('r', {
        r: {
          type: 'reconnecting',
          attempt: 1,
          delayMs: 5_000,
          reason: http,
          failure: 'http',
          previous: 'refused',
        },
      });
      // No second subscription at 5 s: the timer was cancelled with the subscription.
      expectSubscriptions(source.subscriptions).toBe(['(^!)']);
    });
  });

  it('unsubscribes the live connection when the consumer unsubscribes', () => {
    testScheduler.run(({ cold, expectSubscriptions }) => {
      const source = cold<Event>('k 5s k', { k: keepAlive(0) });
      const subscription = source.pipe(retryStream({ scheduler: testScheduler })).subscribe();
      testScheduler.schedule(() => subscription.unsubscribe(), 3_000);
      expectSubscriptions(source.subscriptions).toBe('^ 2999ms !');
    });
  });

  it('completes when the source completes', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold<Event>('k-|', { k: keepAlive(0) });
      expectObservable(source.pipe(retryStream({ scheduler: testScheduler }))).toBe('k-|', {
        k: keepAlive(0),
      });
    });
  });

  it('wraps a foreign error in a ConnectionError, for the events and the final error alike (as core does)', () => {
    testScheduler.run(({ cold }) => {
      const foreign = new TypeError('boom');
      const source = cold<Event>('#', undefined, foreign);
      const events: Event[] = [];
      let final: unknown;
      source
        .pipe(retryStream({ maxRetries: 1, scheduler: testScheduler }))
        .subscribe({ next: (e) => events.push(e as Event), error: (e: unknown) => (final = e) });
      testScheduler.flush();
      const event = events[0] as { type: string; reason: Error; failure: string };
      expect(event.type).toBe('reconnecting');
      expect(event.failure).toBe('network');
      expect(isConnectionError(event.reason)).toBe(true);
      expect(event.reason.message).toBe('The stream failed unexpectedly (boom).');
      expect(event.reason.cause).toBe(foreign);
      expect(isConnectionError(final)).toBe(true);
      expect((final as Error).cause).toBe(foreign);
    });
  });

  it.each([
    [{ maxRetries: -1 }, /maxRetries must be a whole number ≥ 0 or Infinity/],
    [{ maxRetries: 1.5 }, /maxRetries/],
    [{ healthyAfterMs: 0 }, /healthyAfterMs must be a positive number of milliseconds/],
  ])('rejects %o with a ConfigError', (config, message) => {
    const error = thrownBy(() => retryStream(config));
    expect(isConfigError(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });
});
