import {
  ConnectionError,
  createApiError,
  isConnectionError,
  type ReconnectContext,
} from '@birdstream/core';
import { StreamSupervisor, type SupervisorConfig } from '@birdstream/core/internal';
import { describe, expect, test } from 'vitest';

const config = (overrides: Partial<SupervisorConfig> = {}): SupervisorConfig => ({
  maxRetries: Number.POSITIVE_INFINITY,
  healthyAfterMs: 30_000,
  backfill: false,
  ...overrides,
});
const dropped = () => new ConnectionError('The connection dropped.');

describe('StreamSupervisor', () => {
  test('the policy hook gets a foreign error wrapped once, the same object the stream ends with', () => {
    const seen: ReconnectContext[] = [];
    const supervisor = new StreamSupervisor(
      config({
        policy: (context) => {
          seen.push(context);
          return false;
        },
      }),
    );
    supervisor.dispatch({ type: 'connect', at: 0 });
    const foreign = new RangeError('boom');
    const { decision } = supervisor.dispatch({ type: 'failure', error: foreign, at: 5 });
    expect(decision.type).toBe('stop');
    const error = (decision as { error: Error }).error;
    expect(isConnectionError(error)).toBe(true);
    expect(error.cause).toBe(foreign);
    expect(seen).toEqual([{ error, kind: 'network', attempt: 1, defaultDelayMs: 250 }]);
  });

  test('after a stop or a close every action is ignored', () => {
    const supervisor = new StreamSupervisor(config({ maxRetries: 0 }));
    supervisor.dispatch({ type: 'connect', at: 0 });
    supervisor.dispatch({ type: 'connected', at: 0 });
    expect(supervisor.dispatch({ type: 'failure', error: dropped(), at: 10 }).decision.type).toBe(
      'stop',
    );
    expect(supervisor.stopped).toBe(true);
    expect(supervisor.dispatch({ type: 'connect', at: 20 })).toEqual({
      decision: { type: 'continue' },
      events: [],
    });
    expect(supervisor.dispatch({ type: 'failure', error: dropped(), at: 30 }).events).toEqual([]);
    expect(supervisor.dispatch({ type: 'close' }).decision).toEqual({ type: 'closed' });
  });

  test('the give-up note is added once and drops a trailing "; reconnecting."', () => {
    const error = new ConnectionError('The server ended the stream; reconnecting.');
    for (let run = 0; run < 2; run++) {
      const supervisor = new StreamSupervisor(config({ maxRetries: 1 }));
      supervisor.dispatch({ type: 'connect', at: 0 });
      supervisor.dispatch({ type: 'failure', error, at: 1_000 });
      supervisor.dispatch({ type: 'connect', at: 1_250 });
      supervisor.dispatch({ type: 'failure', error, at: 3_000 });
    }
    expect(error.message).toBe(
      'The server ended the stream. Gave up after 2 attempts over 2 s without a healthy connection (maxRetries); the last error is this one.',
    );
  });

  test('a fatal ApiError stops without the give-up note, keeping its class and status', () => {
    const supervisor = new StreamSupervisor(config({ maxRetries: 0 }));
    supervisor.dispatch({ type: 'connect', at: 0 });
    const error = createApiError({ status: 401, headers: {}, bodyText: '' });
    const { decision } = supervisor.dispatch({ type: 'failure', error, at: 0 });
    expect(decision).toEqual({ type: 'stop', error });
    expect(error.message).not.toMatch(/Gave up/);
  });

  test('the state says where it is: attempts, back-off counters, when it connected', () => {
    const supervisor = new StreamSupervisor(config());
    supervisor.dispatch({ type: 'connect', at: 100 });
    supervisor.dispatch({ type: 'connecting', url: 'http://127.0.0.1:1/2/tweets/sample/stream' });
    supervisor.dispatch({ type: 'failure', error: dropped(), at: 100 });
    expect(supervisor.state).toMatchObject({
      phase: 'waiting',
      attempt: 1,
      backoff: { network: 1, http: 0, rateLimit: 0 },
      everConnected: false,
      unreachedAttempts: 1,
      url: 'http://127.0.0.1:1/2/tweets/sample/stream',
    });
    supervisor.dispatch({ type: 'connect', at: 350 });
    supervisor.dispatch({ type: 'connected', at: 400 });
    supervisor.dispatch({ type: 'activity', at: 500 });
    expect(supervisor.state).toMatchObject({
      phase: 'connected',
      connectedAt: 400,
      lastActivityAt: 500,
      everConnected: true,
    });
  });
});
