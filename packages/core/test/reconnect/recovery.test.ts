import { ConnectionError, createApiError, StreamClient } from '@birdstream/core';
import {
  BACKFILL_MARGIN_MS,
  RECOVERY_BUFFER_POSTS,
  RECOVERY_MARGIN_MS,
  StreamSupervisor,
  type SupervisorConfig,
} from '@birdstream/core/internal';
import { controlledBody, ManualClock, streamLine } from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { describe, expect, test } from 'vitest';
import { ofType, recordEvents } from '../helpers/events.js';
import { post } from '../helpers/messages.js';
import { run } from '../helpers/stream-runner.js';
import { FILTER, useStreamServer } from '../helpers/stream-server.js';
import { until } from '../helpers/until.js';

const server = useStreamServer();
const MIN = 60_000;
const HOUR = 60 * MIN;

const config = (overrides: Partial<SupervisorConfig> = {}): SupervisorConfig => ({
  maxRetries: Number.POSITIVE_INFINITY,
  healthyAfterMs: 30_000,
  backfill: 'auto',
  recoverGaps: true,
  // Each test's outage is one long back-off chosen by the hook.
  policy: () => undefined,
  ...overrides,
});

const M = RECOVERY_MARGIN_MS;

/**
 * Connected at 0 with a last byte at `lastByte`, failed, reconnecting at
 * `at` and connected again at once: the connect decision, and the events
 * and windows of both steps (recovery is planned once the connection is up).
 */
function outage(supervisor: StreamSupervisor, lastByte: number, at: number) {
  supervisor.dispatch({ type: 'connect', at: 0 });
  supervisor.dispatch({ type: 'connected', at: 0 });
  supervisor.dispatch({ type: 'activity', at: lastByte });
  supervisor.dispatch({ type: 'failure', error: new ConnectionError('dropped'), at: lastByte });
  const connect = supervisor.dispatch({ type: 'connect', at });
  const up = supervisor.dispatch({ type: 'connected', at });
  return {
    decision: connect.decision,
    connectEvents: connect.events,
    events: [...connect.events, ...up.events],
    recover: up.recover,
    connectRecover: connect.recover,
  };
}

describe('recovery beyond the backfill window: the supervisor decides the windows', () => {
  test('an outage that 5 minutes of backfill cover with its margins (BACKFILL_MARGIN_MS) is backfill only', () => {
    const result = outage(
      new StreamSupervisor(config()),
      1_000,
      1_000 + 5 * MIN - BACKFILL_MARGIN_MS,
    );
    expect(result.recover).toBeUndefined();
    expect(ofType([...result.events], 'recovery')).toEqual([]);
  });

  test('an outage of 5 minutes is past the window once the margins are counted: recovered', () => {
    const result = outage(new StreamSupervisor(config()), 1_000, 1_000 + 5 * MIN);
    expect(result.recover).toEqual([{ id: 1, startTime: 1_000 - M, endTime: 1_000 + M }]);
  });

  test('a 10-minute outage: backfill covers the last 5, a recovery window the 5 before, overlapping both ends by the margin', () => {
    const result = outage(new StreamSupervisor(config()), 1_000, 1_000 + 10 * MIN);
    expect(result.decision).toMatchObject({ type: 'connect', backfillMinutes: 5 });
    // Planned once the live connection is up, not with the connect decision.
    expect(result.connectRecover).toBeUndefined();
    // The backfill too is announced once the connection is up, not with the attempt.
    expect(result.connectEvents).toEqual([]);
    expect(result.recover).toEqual([{ id: 1, startTime: 1_000 - M, endTime: 1_000 + 5 * MIN + M }]);
    expect(result.events).toEqual([
      { type: 'backfill', minutes: 5, outageMs: 10 * MIN, exceedsWindow: true },
      { type: 'recovery', phase: 'started', startTime: 1_000 - M, endTime: 1_000 + 5 * MIN + M },
    ]);
  });

  test('without backfill the window runs up to the reconnect (never into the future)', () => {
    const result = outage(new StreamSupervisor(config({ backfill: false })), 0, 7 * MIN);
    expect(result.recover).toEqual([{ id: 1, startTime: -M, endTime: 7 * MIN }]);
  });

  test('beyond 24 hours: what is older is reported unrecoverable, never silently dropped; the window starts a margin inside the 24 hours', () => {
    const result = outage(new StreamSupervisor(config()), 0, 30 * HOUR);
    expect(ofType([...result.events], 'recovery')).toEqual([
      { type: 'recovery', phase: 'unrecoverable', startTime: 0, endTime: 6 * HOUR + M },
      {
        type: 'recovery',
        phase: 'started',
        startTime: 6 * HOUR + M,
        endTime: 30 * HOUR - 5 * MIN + M,
      },
    ]);
  });

  test('an outage of many failed attempts is one recovery, planned when a connection is up', () => {
    const supervisor = new StreamSupervisor(config());
    supervisor.dispatch({ type: 'connect', at: 0 });
    supervisor.dispatch({ type: 'connected', at: 0 });
    supervisor.dispatch({ type: 'activity', at: 0 });
    supervisor.dispatch({ type: 'failure', error: new ConnectionError('dropped'), at: 0 });
    const recoveries: unknown[] = [];
    for (let at = 6 * MIN; at <= 20 * MIN; at += MIN) {
      const attempt = supervisor.dispatch({ type: 'connect', at });
      recoveries.push(...ofType([...attempt.events], 'recovery'));
      expect(attempt.recover).toBeUndefined();
      supervisor.dispatch({
        type: 'failure',
        error: createApiError({ status: 503, headers: {}, bodyText: '' }),
        at,
      });
    }
    expect(recoveries).toEqual([]);
    supervisor.dispatch({ type: 'connect', at: 21 * MIN });
    const up = supervisor.dispatch({ type: 'connected', at: 21 * MIN });
    expect(up.recover).toEqual([{ id: 1, startTime: -M, endTime: 16 * MIN + M }]);
    // A drop right after: the next gap starts where that backfill did, not at 0 again.
    supervisor.dispatch({ type: 'failure', error: new ConnectionError('dropped'), at: 21 * MIN });
    supervisor.dispatch({ type: 'connect', at: 30 * MIN });
    const again = supervisor.dispatch({ type: 'connected', at: 30 * MIN });
    expect(again.recover).toEqual([{ id: 2, startTime: 16 * MIN - M, endTime: 25 * MIN + M }]);
  });

  test('at most 2 recovery jobs run at once; a third waits for a slot', () => {
    const supervisor = new StreamSupervisor(config());
    const first = outage(supervisor, 0, 10 * MIN);
    expect(first.recover).toHaveLength(1);
    const gap = (from: number, to: number) => {
      // A post created after the connection opened: it is live, coverage reaches `from`.
      supervisor.dispatch({ type: 'activity', at: from, itemAt: from });
      supervisor.dispatch({ type: 'failure', error: new ConnectionError('dropped'), at: from });
      supervisor.dispatch({ type: 'connect', at: to });
      return supervisor.dispatch({ type: 'connected', at: to });
    };
    const second = gap(20 * MIN, 30 * MIN);
    expect(second.recover).toEqual([{ id: 2, startTime: 20 * MIN - M, endTime: 25 * MIN + M }]);
    const third = gap(40 * MIN, 50 * MIN);
    expect(third.recover).toBeUndefined();
    expect(ofType([...third.events], 'recovery')).toEqual([
      { type: 'recovery', phase: 'scheduled', startTime: 40 * MIN - M, endTime: 45 * MIN + M },
    ]);
    const ended = supervisor.dispatch({ type: 'recovery-ended', id: 1, posts: 7 });
    expect(ended.events).toEqual([
      { type: 'recovery', phase: 'completed', startTime: -M, endTime: 5 * MIN + M, posts: 7 },
      { type: 'recovery', phase: 'started', startTime: 40 * MIN - M, endTime: 45 * MIN + M },
    ]);
    expect(ended.recover).toEqual([{ id: 3, startTime: 40 * MIN - M, endTime: 45 * MIN + M }]);
    const failed = supervisor.dispatch({
      type: 'recovery-ended',
      id: 2,
      posts: 1,
      error: createApiError({ status: 503, headers: {}, bodyText: '' }),
    });
    expect(failed.events).toEqual([
      expect.objectContaining({
        phase: 'failed',
        startTime: 20 * MIN - M,
        endTime: 25 * MIN + M,
        posts: 1,
      }),
    ]);
  });

  test('off by default', () => {
    const result = outage(new StreamSupervisor(config({ recoverGaps: undefined })), 0, 10 * MIN);
    expect(result.recover).toBeUndefined();
  });
});

describe('resumeFrom: the first connection continues where an earlier reader stopped', () => {
  test('12 minutes since resumeFrom: the first connection backfills 5, a recovery replays the 7 before', () => {
    const supervisor = new StreamSupervisor(config({ resumeFrom: 1_000 }));
    const at = 1_000 + 12 * MIN;
    const connect = supervisor.dispatch({ type: 'connect', at });
    expect(connect.decision).toMatchObject({ type: 'connect', backfillMinutes: 5 });
    const up = supervisor.dispatch({ type: 'connected', at });
    // Announced once the connection is up.
    expect(up.events).toContainEqual({
      type: 'backfill',
      minutes: 5,
      outageMs: 12 * MIN,
      exceedsWindow: true,
    });
    expect(up.recover).toEqual([{ id: 1, startTime: 1_000 - M, endTime: at - 5 * MIN + M }]);
  });

  test('3 minutes since resumeFrom: backfill of 3 minutes, no recovery', () => {
    const supervisor = new StreamSupervisor(config({ resumeFrom: 0 }));
    const connect = supervisor.dispatch({ type: 'connect', at: 2 * MIN + 1 });
    expect(connect.decision).toMatchObject({ type: 'connect', backfillMinutes: 3 });
    expect(supervisor.dispatch({ type: 'connected', at: 2 * MIN + 1 }).recover).toBeUndefined();
  });

  test('without resumeFrom the first connection replays nothing', () => {
    const supervisor = new StreamSupervisor(config());
    const connect = supervisor.dispatch({ type: 'connect', at: 12 * MIN });
    expect(connect.decision).toMatchObject({ type: 'connect', backfillMinutes: undefined });
    expect(connect.events).toEqual([]);
  });

  test('with backfill off, the whole gap beyond 5 minutes is one recovery window', () => {
    const supervisor = new StreamSupervisor(config({ backfill: false, resumeFrom: 0 }));
    const connect = supervisor.dispatch({ type: 'connect', at: 10 * MIN });
    expect(connect.decision).toMatchObject({ type: 'connect', backfillMinutes: undefined });
    const up = supervisor.dispatch({ type: 'connected', at: 10 * MIN });
    expect(up.recover).toEqual([{ id: 1, startTime: -M, endTime: 10 * MIN }]);
  });

  test('a resumeFrom that is not a time is a ConfigError', () => {
    const client = new StreamClient({ bearerToken: 'token' });
    expect(() => client.filter({}, { resumeFrom: Number.NaN })).toThrow(
      /resumeFrom must be a time in epoch ms/,
    );
  });
});

describe('recovery end to end (msw, virtual time)', () => {
  test('a 10-minute outage: the live stream backfills, a recovery request replays the gap, each post once', async () => {
    const clock = new ManualClock();
    const t0 = clock.now();
    const live = [controlledBody(), controlledBody()];
    const recoveryRequests: URL[] = [];
    let liveRequests = 0;
    server.use(
      http.get(FILTER, ({ request }) => {
        const url = new URL(request.url);
        if (url.searchParams.has('start_time')) {
          recoveryRequests.push(url);
          // The gap: posts 10 and 11; 20, which the live backfill also redelivers; and 1, the
          // edge post delivered live 10 minutes earlier (past the 6-minute dedupe retention:
          // the recovery holds it).
          const lines = ['1', '10', '11', '20'].map((id) => streamLine(post(id)));
          return new HttpResponse(lines.join(''));
        }
        const body = live[liveRequests++];
        if (body === undefined) return HttpResponse.error();
        return new HttpResponse(body.body);
      }),
    );
    const stream = new StreamClient({ bearerToken: 'token', clock }).filter(
      {},
      // One long wait stands for a 10-minute outage.
      { backfill: 'auto', recoverGaps: true, policy: () => 10 * MIN },
    );
    const ctx = run(stream);
    await until(() => ofType(ctx.events, 'connected').length === 1, 'the first connection');
    live[0]!.message(post('1'));
    await until(() => ctx.posts.length === 1, 'the first post');
    live[0]!.fail();
    await until(() => clock.pendingDelays()[0] === 10 * MIN, 'the back-off');
    await clock.advance(10 * MIN);
    await until(() => ofType(ctx.events, 'connected').length === 2, 'the live reconnect');
    live[1]!.message(post('20')); // backfill
    live[1]!.message(post('21'));
    await until(
      () => ofType(ctx.events, 'recovery').some((e) => e.phase === 'completed'),
      'the recovery to complete',
    );
    await until(() => ctx.posts.length === 5, 'every post');

    const ids = ctx.posts.map((p) => (p as { data: { id: string } }).data.id);
    expect([...ids].sort()).toEqual(['1', '10', '11', '20', '21']);
    expect(
      ofType(ctx.events, 'duplicate')
        .map((e) => e.id)
        .sort(),
    ).toEqual(['1', '20']);
    expect(recoveryRequests).toHaveLength(1);
    const params = recoveryRequests[0]!.searchParams;
    // The gap, overlapping both ends by the margin.
    expect(params.get('start_time')).toBe(new Date(t0 - M).toISOString().replace('.000Z', 'Z'));
    expect(params.get('end_time')).toBe(
      new Date(t0 + 5 * MIN + M).toISOString().replace('.000Z', 'Z'),
    );
    expect(params.has('backfill_minutes')).toBe(false);
    expect(ofType(ctx.events, 'recovery')).toEqual([
      { type: 'recovery', phase: 'started', startTime: t0 - M, endTime: t0 + 5 * MIN + M },
      {
        type: 'recovery',
        phase: 'completed',
        startTime: t0 - M,
        endTime: t0 + 5 * MIN + M,
        posts: 4,
      },
    ]);
    await stream.close();
    await ctx.done;
    expect(clock.pendingTimers).toBe(0);
  });

  test('rejects a recoverGaps that is not a boolean', () => {
    const client = new StreamClient({ bearerToken: 'token' });
    expect(() => client.filter({}, { recoverGaps: 'yes' as never })).toThrow(
      /recoverGaps must be true or false/,
    );
  });
});

describe('a long recovery is read no faster than the consumer takes its posts', () => {
  test(`at most RECOVERY_BUFFER_POSTS (${RECOVERY_BUFFER_POSTS}) recovered posts wait in memory; the rest stays unread until there is room`, async () => {
    const clock = new ManualClock();
    const live = [controlledBody(), controlledBody()];
    const TOTAL = 3 * RECOVERY_BUFFER_POSTS;
    let pulled = 0;
    const encoder = new TextEncoder();
    server.use(
      http.get(FILTER, ({ request }) => {
        if (new URL(request.url).searchParams.has('start_time')) {
          // One post per pull, produced only when the reader asks for it.
          const body = new ReadableStream<Uint8Array>(
            {
              pull(controller) {
                if (pulled === TOTAL) {
                  controller.close();
                  return;
                }
                pulled++;
                controller.enqueue(
                  encoder.encode(streamLine(post(`9${String(pulled).padStart(6, '0')}`))),
                );
              },
            },
            { highWaterMark: 0 },
          );
          return new HttpResponse(body);
        }
        const next = live.shift();
        return next === undefined ? HttpResponse.error() : new HttpResponse(next.body);
      }),
    );
    const first = live[0]!;
    const second = live[1]!;
    const stream = new StreamClient({ bearerToken: 'token', clock }).filter(
      {},
      { backfill: 'auto', recoverGaps: true, policy: () => 10 * MIN },
    );
    const events = recordEvents(stream);
    const posts = stream[Symbol.asyncIterator]();
    const taking = posts.next();
    await until(() => ofType(events, 'connected').length === 1, 'the first connection');
    first.message(post('1'));
    expect((await taking).value.data.id).toBe('1');
    const waiting = posts.next(); // asks for one more, then the consumer stops asking
    first.fail();
    await until(() => clock.pendingDelays()[0] === 10 * MIN, 'the back-off');
    await clock.advance(10 * MIN);
    await until(() => ofType(events, 'connected').length === 2, 'the live reconnect');
    second.message(post('2'));
    await waiting;
    await until(() => pulled >= RECOVERY_BUFFER_POSTS, 'the recovery to fill the buffer');
    // The consumer takes nothing now: however long that lasts, the recovery stays paused.
    for (let i = 0; i < 200; i++) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(pulled).toBeGreaterThanOrEqual(RECOVERY_BUFFER_POSTS);
    expect(pulled).toBeLessThanOrEqual(RECOVERY_BUFFER_POSTS + 2);
    // The consumer takes every post: the recovery resumes and ends; each post once.
    const ids = new Set<string>();
    while (ids.size < TOTAL) {
      const next = await posts.next();
      ids.add((next.value as { data: { id: string } }).data.id);
      if (ids.size === TOTAL - 1) second.message(post('3')); // a live post wakes the merge at the end
    }
    expect(pulled).toBe(TOTAL);
    await until(
      () => ofType(events, 'recovery').some((e) => e.phase === 'completed'),
      'the recovery to complete',
    );
    await stream.close();
  });
});
