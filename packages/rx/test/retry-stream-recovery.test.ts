import { isConfigError, isServerError } from '@birdstream/core';
import { RECOVERY_MARGIN_MS as M, MAX_RECOVERY_JOBS } from '@birdstream/core/internal';
import { readFixtureText, thrownBy } from '@birdstream/test-utils';
import { finalize, NEVER, type Observable, of } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  dedupeByEndpoint,
  dedupeById,
  type ReconnectRequest,
  reconnectable,
  retryStream,
  type StreamEvent,
} from '../src/index.js';
import { networkError, serverError } from './support/errors.js';
import { createTestScheduler, keepAlive, post } from './support/marbles.js';

type Event = StreamEvent<unknown>;
const MIN = 60_000;
const HOUR = 60 * MIN;

let testScheduler: TestScheduler;
beforeEach(() => {
  testScheduler = createTestScheduler();
});

/**
 * A reconnectable fake source: live connection n is `live[n]`, recovery
 * request n is `recoveries[n]`. It records every request with its virtual
 * time, and how many recovery requests are subscribed at once.
 */
function fakeSource(live: Observable<Event>[], recoveries: Observable<Event>[] = []) {
  const liveRequests: (ReconnectRequest & { at: number })[] = [];
  const recoveryRequests: (ReconnectRequest & { at: number })[] = [];
  const running = { now: 0, max: 0, closed: 0 };
  const source = reconnectable((options) => {
    const at = testScheduler.now();
    if (options.recovery === undefined) {
      liveRequests.push({ at, ...options });
      const next = live[liveRequests.length - 1];
      if (!next) throw new Error('the test plan has no more live connections');
      return next;
    }
    recoveryRequests.push({ at, ...options });
    const next = recoveries[recoveryRequests.length - 1];
    if (!next) throw new Error('the test plan has no more recovery requests');
    running.now++;
    running.max = Math.max(running.max, running.now);
    return next.pipe(
      finalize(() => {
        running.now--;
        running.closed++;
      }),
    );
  });
  return { source, liveRequests, recoveryRequests, running };
}

/** Subscribes and records every value with the virtual time it arrived at. */
function run(source: Observable<unknown>) {
  const values: { at: number; value: Event }[] = [];
  const state = { error: undefined as unknown, completed: false };
  const subscription = source.subscribe({
    next: (value) => values.push({ at: testScheduler.now(), value: value as Event }),
    error: (error: unknown) => {
      state.error = error;
    },
    complete: () => {
      state.completed = true;
    },
  });
  return { values, state, subscription };
}

const ofType = (values: { value: Event }[], type: string) =>
  values.filter(({ value }) => value.type === type).map(({ value }) => value);
const postIds = (values: { value: Event }[]) =>
  values.flatMap(({ value }) =>
    value.type === 'response' ? [(value.response as { data: { id: string } }).data.id] : [],
  );
const recovery = (phase: string, startTime: number, endTime: number, extra = {}) => ({
  type: 'recovery',
  phase,
  startTime,
  endTime,
  ...extra,
});

describe('retryStream({ recoverGaps: true }): recovery beyond the backfill window', () => {
  it('a 12-minute outage: backfill 5 minutes on the live connection and one recovery window for the 7 before', () => {
    testScheduler.run(({ cold }) => {
      const k = keepAlive(0);
      const { source, liveRequests, recoveryRequests } = fakeSource(
        [cold<Event>('k 59999ms #', { k }, networkError()), cold<Event>('k', { k })],
        [cold<Event>('a b |', { a: post('11'), b: post('12') })],
      );
      const { values, state } = run(
        source.pipe(
          retryStream({
            backfill: 'auto',
            recoverGaps: true,
            // One long back-off: the last byte at 0, the reconnect at 12 minutes.
            policy: () => 11 * MIN,
            scheduler: testScheduler,
          }),
        ),
      );
      testScheduler.flush();

      expect(liveRequests).toEqual([
        { at: 0, attempt: 0 },
        { at: 12 * MIN, attempt: 1, backfillMinutes: 5 },
      ]);
      expect(recoveryRequests).toEqual([
        // Planned when the live connection is up; a margin past each end of the gap.
        { at: 12 * MIN, attempt: 0, recovery: { startTime: -M, endTime: 8 * MIN } },
      ]);
      expect(ofType(values, 'backfill')).toEqual([
        { type: 'backfill', minutes: 5, outageMs: 12 * MIN, exceedsWindow: true },
      ]);
      expect(ofType(values, 'recovery')).toEqual([
        recovery('started', -M, 8 * MIN),
        recovery('completed', -M, 8 * MIN, { posts: 2 }),
      ]);
      expect(postIds(values)).toEqual(['11', '12']);
      expect(state).toEqual({ error: undefined, completed: false });
    });
  });

  it('merges only the posts of a recovery: its lifecycle values are not the live connection’s', () => {
    testScheduler.run(({ cold }) => {
      const k = keepAlive(0);
      const net = networkError();
      // The recovery's own connecting/connected/keep-alive, 1 s after it starts.
      const recoveryConnecting = { type: 'connecting', attempt: 0, url: 'https://recovery' };
      const recoveryConnected = { type: 'connected', attempt: 0, status: 200, headers: {} };
      const { source } = fakeSource(
        [
          cold<Event>('k 59999ms #', { k }, net),
          // Live connection 1: up at 12 min, dropped 10 s later.
          cold<Event>('k 9999ms #', { k }, net),
          cold<Event>('-'),
        ],
        [
          cold<Event>('c 999ms (dk) 999ms a 999ms |', {
            c: recoveryConnecting as never,
            d: recoveryConnected as never,
            k,
            a: post('21'),
          }),
        ],
      );
      const { values } = run(
        source.pipe(
          retryStream({
            recoverGaps: true,
            policy: (context) => (context.attempt === 1 ? 11 * MIN : undefined),
            scheduler: testScheduler,
          }),
        ),
      );
      testScheduler.flush();

      const types = values.map(({ value }) => value.type);
      expect(types.filter((type) => type === 'connecting' || type === 'connected')).toEqual([]);
      expect(types.filter((type) => type === 'keep-alive')).toHaveLength(2); // live ones only
      expect(postIds(values)).toEqual(['21']);
      // Had the recovery's `connected` (at 12 min + 1 s) been taken for the live connection's,
      // this drop would have lasted 9 s.
      expect(ofType(values, 'disconnected')).toEqual([
        { type: 'disconnected', reason: net, durationMs: 60_000, healthy: true },
        { type: 'disconnected', reason: net, durationMs: 10_000, healthy: false },
      ]);
    });
  });

  it('recovered posts that overlap what was delivered are delivered once with dedupeById', () => {
    testScheduler.run(({ cold }) => {
      const k = keepAlive(0);
      const { source } = fakeSource(
        [
          // Post 1 just before the outage.
          cold<Event>('k 59998ms p #', { k, p: post('1') }, networkError()),
          // The backfill replays post 3, then post 4 is live.
          cold<Event>('k 1s b 1s p', { k, b: post('3'), p: post('4') }),
        ],
        // The recovery replays post 1 (the edge of the gap), 2, and 3 (the edge of the backfill).
        [cold<Event>('500ms a b c |', { a: post('1'), b: post('2'), c: post('3') })],
      );
      const { values } = run(
        source.pipe(
          retryStream({
            backfill: 'auto',
            recoverGaps: true,
            policy: () => 11 * MIN,
            scheduler: testScheduler,
          }),
          dedupeById({ retainMs: 15 * MIN, scheduler: testScheduler }),
        ),
      );
      testScheduler.flush();
      expect(postIds(values).sort()).toEqual(['1', '2', '3', '4']);
      expect(ofType(values, 'recovery').at(-1)).toEqual(
        recovery('completed', MIN - 1 - M, 8 * MIN, { posts: 3 }),
      );
    });
  });

  it('with the default 6-minute retainMs, dedupeById holds ids from the recovery window until it ended (the edge post came 11 minutes earlier)', () => {
    testScheduler.run(({ cold }) => {
      const k = keepAlive(0);
      const { source } = fakeSource(
        [
          cold<Event>('k 59998ms p #', { k, p: post('1') }, networkError()),
          // The live stream is back 11 minutes later, with a new post.
          cold<Event>('k 1s p', { k, p: post('4') }),
        ],
        // The recovery replays post 1 (the edge of the gap, 11 minutes old) and brings post 2.
        [cold<Event>('2s a b |', { a: post('1'), b: post('2') })],
      );
      const duplicates: string[] = [];
      const { values } = run(
        source.pipe(
          retryStream({
            backfill: 'auto',
            recoverGaps: true,
            policy: () => 11 * MIN,
            scheduler: testScheduler,
          }),
          dedupeById({ scheduler: testScheduler, onDuplicate: (id) => duplicates.push(id) }),
        ),
      );
      testScheduler.flush();
      expect(postIds(values).sort()).toEqual(['1', '2', '4']);
      expect(duplicates).toEqual(['1']);
      expect(ofType(values, 'recovery').map((e) => (e as { phase: string }).phase)).toEqual([
        'started',
        'completed',
      ]);
    });
  });

  it('on other endpoints, dedupeByEndpoint drops replayed events by the endpoint row’s key, as core does', () => {
    const [deleted, , dropped] = readFixtureText('oas-examples/tweets-compliance.jsonl')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => ({ type: 'response' as const, response: JSON.parse(line) as unknown }));
    testScheduler.run(({ cold }) => {
      const k = keepAlive(0);
      const { source } = fakeSource(
        [cold<Event>('k 59998ms d #', { k, d: deleted! }, networkError()), cold<Event>('k', { k })],
        // The recovery replays the delete (the edge of the gap) and brings the drop.
        [cold<Event>('a b |', { a: deleted!, b: dropped! })],
      );
      const { values } = run(
        source.pipe(
          retryStream({
            backfill: 'auto',
            recoverGaps: true,
            policy: () => 11 * MIN,
            scheduler: testScheduler,
          }),
          dedupeByEndpoint('tweets-compliance', { retainMs: 15 * MIN, scheduler: testScheduler }),
        ),
      );
      testScheduler.flush();
      expect(ofType(values, 'response')).toEqual([deleted, dropped]);
    });
  });

  it(`runs at most ${MAX_RECOVERY_JOBS} recovery requests at once; a third waits for a slot`, () => {
    testScheduler.run(({ cold }) => {
      const k = keepAlive(0);
      const net = networkError();
      // Three outages of 6 minutes, each after a healthy minute.
      const dropAfterAMinute = () => cold<Event>('k 59999ms #', { k }, net);
      const { source, recoveryRequests, running } = fakeSource(
        [dropAfterAMinute(), dropAfterAMinute(), dropAfterAMinute(), cold<Event>('k', { k })],
        [cold<Event>('15m |'), cold<Event>('-'), cold<Event>('a |', { a: post('31') })],
      );
      const { values } = run(
        source.pipe(
          retryStream({ recoverGaps: true, policy: () => 6 * MIN, scheduler: testScheduler }),
        ),
      );
      testScheduler.flush();

      // Live: 0–1 min, 7–8 min, 14–15 min, 21 min on, each with its last byte at its start.
      // Windows (no backfill): from a margin before that last byte to the reconnect.
      expect(recoveryRequests.map(({ at, recovery }) => ({ at, ...recovery }))).toEqual([
        { at: 7 * MIN, startTime: -M, endTime: 7 * MIN },
        { at: 14 * MIN, startTime: 7 * MIN - M, endTime: 14 * MIN },
        // Queued at 21 min until the first recovery ended (at 7 + 15 min).
        { at: 22 * MIN, startTime: 14 * MIN - M, endTime: 21 * MIN },
      ]);
      expect(running.max).toBe(MAX_RECOVERY_JOBS);
      expect(ofType(values, 'recovery')).toEqual([
        recovery('started', -M, 7 * MIN),
        recovery('started', 7 * MIN - M, 14 * MIN),
        recovery('scheduled', 14 * MIN - M, 21 * MIN),
        recovery('completed', -M, 7 * MIN, { posts: 0 }),
        recovery('started', 14 * MIN - M, 21 * MIN),
        recovery('completed', 14 * MIN - M, 21 * MIN, { posts: 1 }),
      ]);
      expect(postIds(values)).toEqual(['31']);
    });
  });

  it('a failed recovery emits `failed` with what it delivered, and the live stream goes on', () => {
    testScheduler.run(({ cold }) => {
      const k = keepAlive(0);
      const http = serverError();
      const { source } = fakeSource(
        [
          cold<Event>('k 59999ms #', { k }, networkError()),
          cold<Event>('k 10s p 10s q', { k, p: post('42'), q: post('43') }),
        ],
        [cold<Event>('a 1s #', { a: post('41') }, http)],
      );
      const { values, state } = run(
        source.pipe(
          retryStream({
            backfill: 'auto',
            recoverGaps: true,
            policy: () => 11 * MIN,
            scheduler: testScheduler,
          }),
        ),
      );
      testScheduler.flush();

      const events = ofType(values, 'recovery');
      expect(events).toEqual([
        recovery('started', -M, 8 * MIN),
        recovery('failed', -M, 8 * MIN, { posts: 1, error: http }),
      ]);
      expect(isServerError((events[1] as { error: unknown }).error)).toBe(true);
      // The live connection's posts after the failure still arrive; nothing ended.
      expect(postIds(values)).toEqual(['41', '42', '43']);
      expect(ofType(values, 'reconnecting')).toHaveLength(1);
      expect(state).toEqual({ error: undefined, completed: false });
    });
  });

  it('a source that throws for a recovery request fails that window only', () => {
    testScheduler.run(({ cold }) => {
      const k = keepAlive(0);
      const { source } = fakeSource(
        [cold<Event>('k 59999ms #', { k }, networkError()), cold<Event>('k', { k })],
        [], // no plan: the factory throws
      );
      const { values, state } = run(
        source.pipe(
          retryStream({ recoverGaps: true, policy: () => 11 * MIN, scheduler: testScheduler }),
        ),
      );
      testScheduler.flush();
      expect(ofType(values, 'recovery').map((e) => (e as { phase: string }).phase)).toEqual([
        'started',
        'failed',
      ]);
      expect(ofType(values, 'keep-alive')).toHaveLength(2);
      expect(state.error).toBeUndefined();
    });
  });

  it('an outage beyond 24 hours: the older part is reported unrecoverable, the rest recovered', () => {
    testScheduler.run(({ cold }) => {
      const k = keepAlive(0);
      const { source, recoveryRequests } = fakeSource(
        [cold<Event>('k 59999ms #', { k }, networkError()), cold<Event>('k', { k })],
        [cold<Event>('|')],
      );
      const { values } = run(
        source.pipe(
          retryStream({
            backfill: 'auto',
            recoverGaps: true,
            // Last byte at 0, reconnect at 30 h.
            policy: () => 30 * HOUR - MIN,
            scheduler: testScheduler,
          }),
        ),
      );
      testScheduler.flush();
      expect(ofType(values, 'recovery')).toEqual([
        // The window starts a margin inside X's 24 hours.
        recovery('unrecoverable', 0, 6 * HOUR + M),
        recovery('started', 6 * HOUR + M, 30 * HOUR - 5 * MIN + M),
        recovery('completed', 6 * HOUR + M, 30 * HOUR - 5 * MIN + M, { posts: 0 }),
      ]);
      expect(recoveryRequests.map((r) => r.recovery)).toEqual([
        { startTime: 6 * HOUR + M, endTime: 30 * HOUR - 5 * MIN + M },
      ]);
    });
  });

  it('unsubscribing closes the running recovery requests', () => {
    testScheduler.run(({ cold }) => {
      const k = keepAlive(0);
      const { source, running } = fakeSource(
        [cold<Event>('k 59999ms #', { k }, networkError()), cold<Event>('k', { k })],
        [cold<Event>('-')],
      );
      const { values, subscription } = run(
        source.pipe(
          retryStream({ recoverGaps: true, policy: () => 11 * MIN, scheduler: testScheduler }),
        ),
      );
      testScheduler.schedule(() => subscription.unsubscribe(), 13 * MIN);
      testScheduler.flush();
      expect(running).toEqual({ now: 0, max: 1, closed: 1 });
      // No `completed` or `failed` for a recovery the consumer closed.
      expect(ofType(values, 'recovery').map((e) => (e as { phase: string }).phase)).toEqual([
        'started',
      ]);
    });
  });

  it('a stream that stops closes its running recoveries too', () => {
    testScheduler.run(({ cold }) => {
      const k = keepAlive(0);
      const net = networkError();
      const { source, running } = fakeSource(
        [cold<Event>('k 59999ms #', { k }, net), cold<Event>('k 1s #', { k }, net)],
        [cold<Event>('-')],
      );
      const { state } = run(
        source.pipe(
          retryStream({
            recoverGaps: true,
            policy: (context) => (context.attempt === 1 ? 11 * MIN : false),
            scheduler: testScheduler,
          }),
        ),
      );
      testScheduler.flush();
      expect(state.error).toBe(net);
      expect(running).toEqual({ now: 0, max: 1, closed: 1 });
    });
  });

  it('is off by default: a long outage is backfilled and flagged, nothing more', () => {
    testScheduler.run(({ cold }) => {
      const k = keepAlive(0);
      const { source, recoveryRequests } = fakeSource([
        cold<Event>('k 59999ms #', { k }, networkError()),
        cold<Event>('k', { k }),
      ]);
      const { values } = run(
        source.pipe(
          retryStream({ backfill: 'auto', policy: () => 11 * MIN, scheduler: testScheduler }),
        ),
      );
      testScheduler.flush();
      expect(recoveryRequests).toEqual([]);
      expect(ofType(values, 'recovery')).toEqual([]);
      expect(ofType(values, 'backfill')).toHaveLength(1);
    });
  });
});

describe('retryStream({ recoverGaps }) configuration', () => {
  it('needs a birdstream source, like backfill', () => {
    const error = thrownBy(() => of(1).pipe(retryStream({ recoverGaps: true })));
    expect(isConfigError(error)).toBe(true);
    expect((error as Error).message).toMatch(/^retryStream: recoverGaps needs a birdstream source/);
  });

  it('rejects anything but a boolean', () => {
    const error = thrownBy(() => retryStream({ recoverGaps: 'yes' as unknown as boolean }));
    expect(isConfigError(error)).toBe(true);
    expect((error as Error).message).toBe('recoverGaps must be true or false, got yes.');
  });

  it('off, a plain Observable is fine', () => {
    expect(() => NEVER.pipe(retryStream({ recoverGaps: false }))).not.toThrow();
  });
});
