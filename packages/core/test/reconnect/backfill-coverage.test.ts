import { StreamSupervisor, type SupervisorResult } from '@birdstream/core/internal';
import { describe, expect, test } from 'vitest';

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 3, 12);

function supervisor() {
  return new StreamSupervisor({
    maxRetries: Number.POSITIVE_INFINITY,
    healthyAfterMs: 30_000,
    backfill: 'auto',
  });
}

/** The backfill a `connect` asked for (announced once the connection is up, read here from the state). */
function backfillOf(
  s: StreamSupervisor,
  result: SupervisorResult,
): { minutes: number; outageMs: number } {
  const event = s.state.backfill;
  if (result.decision.type !== 'connect' || event === undefined) throw new Error('no backfill');
  expect(result.decision.backfillMinutes).toBe(event.minutes);
  return { minutes: event.minutes, outageMs: event.outageMs };
}

describe('backfill sizing follows what was received, not the last byte', () => {
  test('a live connection covers up to its last byte', () => {
    const s = supervisor();
    s.dispatch({ type: 'connect', at: T0 });
    s.dispatch({ type: 'connected', at: T0 });
    s.dispatch({ type: 'activity', at: T0 + 50_000, itemAt: T0 + 49_000 });
    s.dispatch({ type: 'failure', error: new TypeError('reset'), at: T0 + 50_000 });
    expect(backfillOf(s, s.dispatch({ type: 'connect', at: T0 + 51_000 }))).toEqual({
      minutes: 1,
      outageMs: 1_000,
    });
  });

  test('a connection that dies mid-replay: the next backfill reaches back to the newest item replayed', () => {
    const s = supervisor();
    s.dispatch({ type: 'connect', at: T0 });
    s.dispatch({ type: 'connected', at: T0 });
    s.dispatch({ type: 'activity', at: T0 + 10_000, itemAt: T0 + 9_500 });
    s.dispatch({ type: 'failure', error: new TypeError('reset'), at: T0 + 10_000 });
    // Down for 2.5 minutes (say, a 429), then a backfill of 3 minutes from T0+10s.
    const second = s.dispatch({ type: 'connect', at: T0 + 160_000 });
    expect(backfillOf(s, second).minutes).toBe(3);
    s.dispatch({ type: 'connected', at: T0 + 160_000 });
    // The replay gets as far as items created at T0+40s, with bytes arriving until T0+170s …
    s.dispatch({ type: 'activity', at: T0 + 165_000, itemAt: T0 + 20_000 });
    s.dispatch({ type: 'activity', at: T0 + 170_000, itemAt: T0 + 40_000 });
    s.dispatch({ type: 'activity', at: T0 + 170_500 }); // a chunk, a keep-alive: no item time
    s.dispatch({ type: 'failure', error: new TypeError('reset'), at: T0 + 171_000 });
    // … so the next backfill must reach back to T0+40s, not to the last byte at T0+170.5s.
    const third = backfillOf(s, s.dispatch({ type: 'connect', at: T0 + 171_250 }));
    expect(third.outageMs).toBe(171_250 - 40_000);
    expect(third.minutes).toBe(3);
    expect(s.state.coveredUntil).toBe(T0 + 40_000);
  });

  test('an item created after the connection opened ends the replay: coverage is live again', () => {
    const s = supervisor();
    s.dispatch({ type: 'connect', at: T0 });
    s.dispatch({ type: 'connected', at: T0 });
    s.dispatch({ type: 'activity', at: T0 + 1_000 });
    s.dispatch({ type: 'failure', error: new TypeError('reset'), at: T0 + 1_000 });
    s.dispatch({ type: 'connect', at: T0 + 2 * MIN });
    s.dispatch({ type: 'connected', at: T0 + 2 * MIN });
    s.dispatch({ type: 'activity', at: T0 + 2 * MIN + 500, itemAt: T0 + 30_000 });
    s.dispatch({ type: 'activity', at: T0 + 2 * MIN + 900, itemAt: T0 + 2 * MIN + 100 });
    s.dispatch({ type: 'activity', at: T0 + 3 * MIN });
    s.dispatch({ type: 'failure', error: new TypeError('reset'), at: T0 + 3 * MIN });
    expect(backfillOf(s, s.dispatch({ type: 'connect', at: T0 + 3 * MIN + 250 }))).toEqual({
      minutes: 1,
      outageMs: 250,
    });
  });

  test('a replay that never received an item keeps the old coverage', () => {
    const s = supervisor();
    s.dispatch({ type: 'connect', at: T0 });
    s.dispatch({ type: 'connected', at: T0 });
    s.dispatch({ type: 'activity', at: T0 + 1_000 });
    s.dispatch({ type: 'failure', error: new TypeError('reset'), at: T0 + 1_000 });
    s.dispatch({ type: 'connect', at: T0 + MIN });
    s.dispatch({ type: 'connected', at: T0 + MIN });
    s.dispatch({ type: 'activity', at: T0 + MIN + 100 }); // headers' bytes, a keep-alive
    s.dispatch({ type: 'failure', error: new TypeError('reset'), at: T0 + MIN + 200 });
    expect(backfillOf(s, s.dispatch({ type: 'connect', at: T0 + MIN + 450 })).outageMs).toBe(
      MIN + 450 - 1_000,
    );
  });
});
