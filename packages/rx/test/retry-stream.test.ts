import { ConnectionError } from '@birdstream/core';
import { defer } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import type { StreamEvent } from '../src/index.js';
import { type ReconnectRequest, reconnectable, retryStream } from '../src/index.js';
import {
  authenticationError,
  networkError,
  noRulesError,
  rateLimitError,
  serverError,
  tooManyConnectionsError,
  usageCappedError,
} from './support/errors.js';
import { createTestScheduler, keepAlive } from './support/marbles.js';

type Event = StreamEvent<unknown>;

const reconnecting = (
  attempt: number,
  delayMs: number,
  reason: unknown,
  failure: 'network' | 'http' | 'rate-limit' | 'too-many-connections',
  // How the attempt before ended (lost, refused, unreachable): the supervision contract checks it
  // through retryStream; here any of the three.
) => ({
  type: 'reconnecting',
  attempt,
  delayMs,
  reason,
  failure,
  previous: expect.stringMatching(/^(lost|refused|unreachable)$/),
});

let testScheduler: TestScheduler;
beforeEach(() => {
  testScheduler = createTestScheduler();
});

describe('retryStream: reconnect delays per error class (X schedule)', () => {
  it('backs off linearly by 250 ms on network errors and errors after maxRetries', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const error = networkError();
      const source = cold<Event>('#', undefined, error);
      const result = source.pipe(retryStream({ maxRetries: 3, scheduler: testScheduler }));

      expectObservable(result).toBe(
        'a 249ms b 499ms c 749ms #',
        {
          a: reconnecting(1, 250, error, 'network'),
          b: reconnecting(2, 500, error, 'network'),
          c: reconnecting(3, 750, error, 'network'),
        },
        error,
      );
      expectSubscriptions(source.subscriptions).toBe([
        '(^!)',
        '250ms (^!)',
        '750ms (^!)',
        '1500ms (^!)',
      ]);
    });
  });

  it('caps the network back-off at 16 s', () => {
    testScheduler.run(({ cold }) => {
      const error = networkError();
      const source = cold<Event>('#', undefined, error);
      const delays: number[] = [];
      // Without the first-connection bound (tested on its own), which would end a never-connected source after 10.
      source
        .pipe(retryStream({ maxRetries: 70, firstConnection: false, scheduler: testScheduler }))
        .subscribe({
          next: (event) => {
            if (event.type === 'reconnecting') delays.push(event.delayMs);
          },
          error: () => undefined,
        });
      testScheduler.flush();
      expect(delays).toHaveLength(70);
      expect(delays.slice(0, 3)).toEqual([250, 500, 750]);
      expect(delays[63]).toBe(16_000);
      expect(Math.max(...delays)).toBe(16_000);
    });
  });

  it('backs off exponentially from 5 s on HTTP 5xx', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const error = serverError();
      const source = cold<Event>('#', undefined, error);
      const result = source.pipe(retryStream({ maxRetries: 3, scheduler: testScheduler }));

      expectObservable(result).toBe(
        'a 4999ms b 9999ms c 19999ms #',
        {
          a: reconnecting(1, 5_000, error, 'http'),
          b: reconnecting(2, 10_000, error, 'http'),
          c: reconnecting(3, 20_000, error, 'http'),
        },
        error,
      );
      expectSubscriptions(source.subscriptions).toBe(['(^!)', '5s (^!)', '15s (^!)', '35s (^!)']);
    });
  });

  it('backs off exponentially from 60 s on HTTP 429', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const error = rateLimitError();
      const source = cold<Event>('#', undefined, error);
      const result = source.pipe(retryStream({ maxRetries: 2, scheduler: testScheduler }));

      expectObservable(result).toBe(
        'a 59999ms b 119999ms #',
        {
          a: reconnecting(1, 60_000, error, 'rate-limit'),
          b: reconnecting(2, 120_000, error, 'rate-limit'),
        },
        error,
      );
      expectSubscriptions(source.subscriptions).toBe(['(^!)', '1m (^!)', '3m (^!)']);
    });
  });

  it('waits for x-rate-limit-reset when a 429 says the window is exhausted and resets later', () => {
    testScheduler.run(({ cold, expectSubscriptions }) => {
      // The virtual clock starts at 0 ms; the window resets at epoch second 300.
      const error = rateLimitError({ 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': '300' });
      const source = cold<Event>('#', undefined, error);
      source.pipe(retryStream({ maxRetries: 1, scheduler: testScheduler })).subscribe({
        error: () => undefined,
      });
      expectSubscriptions(source.subscriptions).toBe(['(^!)', '5m (^!)']);
    });
  });

  it('treats 429 TooManyConnections as a 60 s doubling wait', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const error = tooManyConnectionsError();
      const source = cold<Event>('#', undefined, error);
      const result = source.pipe(retryStream({ maxRetries: 1, scheduler: testScheduler }));
      expectObservable(result).toBe(
        'a 59999ms #',
        {
          a: reconnecting(1, 60_000, error, 'too-many-connections'),
        },
        error,
      );
    });
  });

  it('keeps separate counters per class: a network error after 5xx still starts at 250 ms', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const http = serverError();
      const net = networkError();
      let calls = 0;
      const source = defer(() =>
        calls++ === 0 ? cold<Event>('#', undefined, http) : cold<Event>('#', undefined, net),
      );
      const result = source.pipe(retryStream({ maxRetries: 2, scheduler: testScheduler }));
      expectObservable(result).toBe(
        'a 4999ms b 249ms #',
        {
          a: reconnecting(1, 5_000, http, 'http'),
          b: reconnecting(2, 250, net, 'network'),
        },
        net,
      );
    });
  });

  it.each([
    ['401 Unauthorized', authenticationError],
    ['409 RuleConfigurationIssue', noRulesError],
    ['429 usage-capped', usageCappedError],
  ])('stops at once on a fatal error (%s)', (_name, makeError) => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const error = makeError();
      const source = cold<Event>('--#', undefined, error);
      const result = source.pipe(retryStream({ scheduler: testScheduler }));
      expectObservable(result).toBe('--#', undefined, error);
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });

  it('with maxRetries 0 passes the first error on', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const error = networkError();
      const source = cold<Event>('-#', undefined, error);
      expectObservable(source.pipe(retryStream({ maxRetries: 0, scheduler: testScheduler }))).toBe(
        '-#',
        undefined,
        error,
      );
    });
  });
});

describe('retryStream: healthy connections', () => {
  it('reconnects at once after a healthy connection drops, and the back-off starts over', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const net = networkError();
      const k = keepAlive(0);
      const sources = [
        cold<Event>('#', undefined, net), // fails: wait 250 ms
        cold<Event>('#', undefined, net), // fails: wait 500 ms
        cold<Event>('k 29999ms #', { k }, net), // healthy for 30 s: reconnect at once
        cold<Event>('#', undefined, net), // counters were reset: 250 ms again
        cold<Event>('-'),
      ];
      let call = 0;
      const source = defer(() => sources[call++]!);
      const result = source.pipe(retryStream({ scheduler: testScheduler }));
      // 0 fail; 250 fail; 750 connect; 30750 drop, reconnect at once, fail; 31000 reconnect.
      expectObservable(result).toBe('a 249ms b 499ms k 29999ms (dce)', {
        a: reconnecting(1, 250, net, 'network'),
        b: reconnecting(2, 500, net, 'network'),
        k,
        d: { type: 'disconnected', reason: net, durationMs: 30_000, healthy: true },
        c: reconnecting(1, 0, net, 'network'),
        e: reconnecting(2, 250, net, 'network'),
      });
    });
  });

  it('backs off after a short-lived connection and reports it as unhealthy', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const net = networkError();
      const k = keepAlive(0);
      const source = cold<Event>('k 9ms #', { k }, net);
      const result = source.pipe(retryStream({ maxRetries: 1, scheduler: testScheduler }));
      // A group of n values takes n + 2 frames of the marble string.
      expectObservable(result).toBe(
        'k 9ms (da) 246ms k 9ms (d#)',
        {
          k,
          d: { type: 'disconnected', reason: net, durationMs: 10, healthy: false },
          a: reconnecting(1, 250, net, 'network'),
        },
        net,
      );
    });
  });

  it('resets maxRetries after a healthy connection (it counts failures in a row)', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const net = networkError();
      const k = keepAlive(0);
      const source = cold<Event>('k 999ms #', { k }, net);
      const result = source.pipe(
        retryStream({ maxRetries: 1, healthyAfterMs: 1_000, scheduler: testScheduler }),
      );
      // Every connection lasts 1 s, which counts as healthy here: it reconnects at once, forever.
      expectObservable(result, '4500ms !').toBe(
        'k 999ms (dck) 995ms (dck) 995ms (dck) 995ms (dck)',
        {
          k,
          d: { type: 'disconnected', reason: net, durationMs: 1_000, healthy: true },
          c: reconnecting(1, 0, net, 'network'),
        },
      );
      expectSubscriptions(source.subscriptions).toBe([
        '^ 999ms !',
        '1s ^ 999ms !',
        '2s ^ 999ms !',
        '3s ^ 999ms !',
        '4s ^ 499ms !',
      ]);
    });
  });

  it('counts attempts since the last healthy connection in the options it reconnects with', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const net = networkError();
      const requests: ReconnectRequest[] = [];
      const plan = [
        cold<Event>('#', undefined, net),
        cold<Event>('#', undefined, net),
        cold<Event>('k 30s #', { k: keepAlive(0) }, net),
        cold<Event>('-'),
      ];
      const source = reconnectable((options) => {
        requests.push(options);
        return plan[requests.length - 1]!;
      });
      expectObservable(source.pipe(retryStream({ scheduler: testScheduler })), '40s !').toBe(
        'a 249ms b 499ms k 30000ms (dc)',
        {
          a: reconnecting(1, 250, net, 'network'),
          b: reconnecting(2, 500, net, 'network'),
          k: keepAlive(0),
          d: { type: 'disconnected', reason: net, durationMs: 30_001, healthy: true },
          c: reconnecting(1, 0, net, 'network'),
        },
      );
      testScheduler.flush();
      expect(requests.map((r) => r.attempt)).toEqual([0, 1, 2, 1]);
      expect(requests.every((r) => r.backfillMinutes === undefined)).toBe(true);
    });
  });

  it('reconnects at once after an operational disconnect, but only once in a row', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const drop = new ConnectionError(
        'X ended the stream for operational reasons (operational-disconnect); reconnecting.',
      );
      const values: Record<string, Event> = {
        c: { type: 'connected', attempt: 0, status: 200, headers: {} },
        e: { type: 'stream-errors', errors: [], withData: false, disconnect: true },
      };
      const source = cold<Event>('c 9ms e 9ms #', values, drop);
      const result = source.pipe(retryStream({ maxRetries: 2, scheduler: testScheduler }));
      const disconnected = { type: 'disconnected', reason: drop, durationMs: 20, healthy: false };
      // 20 ms: at once (delay 0); 40 ms: second disconnect in a row → 250 ms; 310 ms: gives up.
      expectObservable(result).toBe(
        'c 9ms e 9ms (drc) 5ms e 9ms (ds) 246ms c 9ms e 9ms (d#)',
        {
          ...values,
          d: disconnected,
          r: reconnecting(1, 0, drop, 'network'),
          s: reconnecting(2, 250, drop, 'network'),
        },
        drop,
      );
    });
  });
});
