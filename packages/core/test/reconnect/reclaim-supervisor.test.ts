import { ConnectionError, createApiError } from '@birdstream/core';
import { StreamSupervisor, type SupervisorConfig } from '@birdstream/core/internal';
import { describe, expect, test } from 'vitest';

const config = (overrides: Partial<SupervisorConfig> = {}): SupervisorConfig => ({
  maxRetries: Number.POSITIVE_INFINITY,
  healthyAfterMs: 30_000,
  backfill: false,
  reclaim: true,
  ...overrides,
});
const tooMany = () =>
  createApiError({
    status: 429,
    headers: {},
    bodyText: JSON.stringify({
      title: 'ConnectionException',
      detail: 'This stream is currently at the maximum allowed connection limit.',
      connection_issue: 'TooManyConnections',
      type: 'https://api.twitter.com/2/problems/streaming-connection',
    }),
  });
const killedOne = {
  killed: [{ uuid: 'old', success: true }],
  successful: 1,
  kept: 1,
  reason: 'Killed 1.',
};

describe('StreamSupervisor with reclaim', () => {
  test('a 429 TooManyConnections asks the driver to reclaim; one killed → reconnect at once', () => {
    const supervisor = new StreamSupervisor(config());
    supervisor.dispatch({ type: 'connect', at: 0 });
    const error = tooMany();
    const first = supervisor.dispatch({ type: 'failure', error, at: 10 });
    expect(first.decision).toEqual({ type: 'reclaim', error });
    expect(first.events).toEqual([]);
    expect(supervisor.state.phase).toBe('reclaiming');

    const after = supervisor.dispatch({ type: 'reclaimed', at: 20, ...killedOne });
    expect(after.decision).toEqual({ type: 'reconnect', delayMs: 0, attempt: 1, kind: 'http' });
    expect(after.events).toEqual([
      { type: 'reclaimed', killed: killedOne.killed, kept: 1, reason: 'Killed 1.' },
      {
        type: 'reconnecting',
        attempt: 1,
        delayMs: 0,
        reason: error,
        failure: 'http',
        previous: 'refused',
      },
    ]);
  });

  test('only once per episode: the next 429 in a row backs off per X (60 s), no second reclaim', () => {
    const supervisor = new StreamSupervisor(config());
    supervisor.dispatch({ type: 'connect', at: 0 });
    supervisor.dispatch({ type: 'failure', error: tooMany(), at: 10 });
    supervisor.dispatch({ type: 'reclaimed', at: 20, ...killedOne });
    supervisor.dispatch({ type: 'connect', at: 20 });
    const again = supervisor.dispatch({ type: 'failure', error: tooMany(), at: 30 });
    expect(again.decision).toMatchObject({ type: 'reconnect', delayMs: 60_000, attempt: 2 });
    expect(again.events.map((e) => e.type)).toEqual(['reconnecting']);
  });

  test('a connection ends the episode: a later 429 reclaims again', () => {
    const supervisor = new StreamSupervisor(config());
    supervisor.dispatch({ type: 'connect', at: 0 });
    supervisor.dispatch({ type: 'failure', error: tooMany(), at: 10 });
    supervisor.dispatch({ type: 'reclaimed', at: 20, ...killedOne });
    supervisor.dispatch({ type: 'connect', at: 20 });
    supervisor.dispatch({ type: 'connected', at: 21 });
    supervisor.dispatch({ type: 'failure', error: new ConnectionError('dropped'), at: 100_000 });
    supervisor.dispatch({ type: 'connect', at: 100_000 });
    const later = supervisor.dispatch({ type: 'failure', error: tooMany(), at: 100_010 });
    expect(later.decision.type).toBe('reclaim');
  });

  test('nothing killed (none stale, or listing failed) → X policy, with the reclaimed event first', () => {
    const supervisor = new StreamSupervisor(config());
    supervisor.dispatch({ type: 'connect', at: 0 });
    const error = tooMany();
    supervisor.dispatch({ type: 'failure', error, at: 10 });
    const failure = new ConnectionError('list failed');
    const after = supervisor.dispatch({
      type: 'reclaimed',
      at: 20,
      killed: [],
      successful: 0,
      kept: 0,
      reason: 'Could not list.',
      error: failure,
    });
    expect(after.decision).toMatchObject({ type: 'reconnect', delayMs: 60_000, attempt: 1 });
    expect(after.events).toEqual([
      { type: 'reclaimed', killed: [], kept: 0, reason: 'Could not list.', error: failure },
      {
        type: 'reconnecting',
        attempt: 1,
        delayMs: 60_000,
        reason: error,
        failure: 'too-many-connections',
        previous: 'refused',
      },
    ]);
  });

  test('without reclaim, or for another failure, no reclaim decision', () => {
    const off = new StreamSupervisor(config({ reclaim: false }));
    off.dispatch({ type: 'connect', at: 0 });
    expect(off.dispatch({ type: 'failure', error: tooMany(), at: 1 }).decision).toMatchObject({
      type: 'reconnect',
      delayMs: 60_000,
    });
    const on = new StreamSupervisor(config());
    on.dispatch({ type: 'connect', at: 0 });
    const other = createApiError({ status: 503, headers: {}, bodyText: 'down' });
    expect(on.dispatch({ type: 'failure', error: other, at: 1 }).decision.type).toBe('reconnect');
    // a stray `reclaimed` (no reclaim pending) changes nothing
    expect(on.dispatch({ type: 'reclaimed', at: 2, ...killedOne }).decision.type).toBe('continue');
  });

  test('maxRetries still bounds the immediate reconnect after a reclaim', () => {
    const supervisor = new StreamSupervisor(config({ maxRetries: 0 }));
    supervisor.dispatch({ type: 'connect', at: 0 });
    supervisor.dispatch({ type: 'failure', error: tooMany(), at: 10 });
    const after = supervisor.dispatch({ type: 'reclaimed', at: 20, ...killedOne });
    expect(after.decision.type).toBe('stop');
    expect(after.events.map((e) => e.type)).toEqual(['reclaimed']);
  });
});
