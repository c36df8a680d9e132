import {
  ConnectionError,
  createApiError,
  StallError,
  StreamClient,
  type StreamLifecycleEvent,
  type StreamOptions,
} from '@birdstream/core';
import {
  connectedEvent,
  connectingEvent,
  operationalDisconnectError,
  type RecoveryWindow,
  resolveSupervision,
  StreamSupervisor,
  serverEndedError,
} from '@birdstream/core/internal';
import {
  CONTRACT_START,
  type ContractEvent,
  contractEvent,
  contractServer,
  driveContract,
  ManualClock,
  mismatchOf,
  SUPERVISION_CONTRACT,
  type SupervisionScenario,
} from '@birdstream/test-utils';
import { http } from 'msw';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/stream-runner.js';
import { FILTER, useStreamServer } from '../helpers/stream-server.js';

const server = useStreamServer();

function project(events: readonly { type: string }[]): ContractEvent[] {
  return events.flatMap((event) => {
    const projected = contractEvent(event as { type: string } & Record<string, unknown>);
    return projected === undefined ? [] : [projected];
  });
}

/** Runner (a): the scenario played straight on the supervisor, time as plain numbers. */
function runOnSupervisor(scenario: SupervisionScenario) {
  const o = scenario.options;
  const stallMs = o.stallTimeoutMs ?? 30_000;
  // The same options, through the same resolver, as core's streams and rx's retryStream.
  const supervisor = new StreamSupervisor(resolveSupervision(supervisionOptions(scenario)).config);
  const events: StreamLifecycleEvent[] = [];
  let t = CONTRACT_START;
  let served = 0;
  let reconnects = 0;
  // Recovery windows started and not yet played; each is played once its live connection is up.
  const recovering: RecoveryWindow[] = [];
  let recovered = 0;
  const playRecoveries = () => {
    const plans = scenario.recoveries ?? [{ posts: 0, ending: 'end' }];
    for (let window = recovering.shift(); window !== undefined; window = recovering.shift()) {
      const plan = plans[Math.min(recovered++, plans.length - 1)]!;
      const ended = supervisor.dispatch(
        plan.ending === 'end'
          ? { type: 'recovery-ended', id: window.id, posts: plan.posts }
          : {
              type: 'recovery-ended',
              id: window.id,
              posts: plan.posts,
              error: new ConnectionError('The recovery dropped.'),
            },
      );
      events.push(...ended.events);
      recovering.push(...(ended.recover ?? []));
    }
  };
  for (let guard = 0; guard < 1_000; guard++) {
    const start = supervisor.dispatch({ type: 'connect', at: t });
    events.push(...start.events);
    if (start.decision.type !== 'connect') break;
    const { attempt, backfillMinutes } = start.decision;
    supervisor.dispatch({ type: 'connecting', url: FILTER });
    events.push(connectingEvent(attempt, FILTER, backfillMinutes));
    const connection = scenario.connections[Math.min(served++, scenario.connections.length - 1)]!;
    let failure: unknown;
    if ('refuse' in connection) {
      failure = new ConnectionError('Could not connect to the filtered stream (fetch failed).', {
        cause: new TypeError('fetch failed'),
      });
    } else if ('status' in connection) {
      failure = createApiError({
        status: connection.status,
        headers: connection.headers ?? {},
        bodyText: connection.body ?? '',
      });
    } else {
      const up = supervisor.dispatch({ type: 'connected', at: t });
      events.push(connectedEvent(attempt, { status: 200, headers: {}, rateLimit: undefined }));
      // Recovery is planned once the live connection is up.
      events.push(...up.events);
      recovering.push(...(up.recover ?? []));
      playRecoveries();
      let lastByte = t;
      for (const step of connection.open) {
        if (typeof step === 'object') {
          t += step.wait;
          continue;
        }
        if (step === 'keep-alive' || step === 'post' || step === 'operational-disconnect') {
          supervisor.dispatch({ type: 'activity', at: t });
          lastByte = t;
        }
        if (step === 'operational-disconnect') {
          supervisor.dispatch({ type: 'operational-disconnect' });
          failure = operationalDisconnectError();
        } else if (step === 'drop') failure = new ConnectionError('The connection dropped.');
        else if (step === 'end') failure = serverEndedError();
        else if (step === 'stall') {
          t = lastByte + stallMs;
          events.push({ type: 'stalled', timeoutMs: stallMs });
          failure = new StallError(stallMs);
        }
        if (failure !== undefined) break;
      }
    }
    const result = supervisor.dispatch({ type: 'failure', error: failure, at: t });
    events.push(...result.events);
    const decision = result.decision;
    if (decision.type === 'stop') return { events, error: decision.error as unknown };
    if (decision.type !== 'reconnect') break;
    reconnects++;
    if (scenario.closeAfter === reconnects) {
      expect(supervisor.dispatch({ type: 'close' }).decision.type).toBe('closed');
      // Once closed, nothing moves it again.
      expect(supervisor.dispatch({ type: 'connect', at: t }).decision.type).toBe('continue');
      return { events, error: undefined as unknown };
    }
    t += decision.delayMs;
  }
  throw new Error(`"${scenario.name}" did not end.`);
}

/** The scenario's options, unchanged: they are core's `StreamOptions` (and rx's `retryStream` config). */
function supervisionOptions(scenario: SupervisionScenario): StreamOptions {
  return scenario.options as StreamOptions;
}

/** Runner (b): core's EndpointStream end to end over msw, on a ManualClock. */
async function runOnCore(scenario: SupervisionScenario) {
  const clock = new ManualClock(CONTRACT_START);
  const served = contractServer(scenario);
  server.use(http.get(FILTER, served.handler));
  const stream = new StreamClient({ bearerToken: 'token', clock }).filter(
    {},
    supervisionOptions(scenario),
  );
  const ctx = run(stream);
  await driveContract(scenario, {
    clock,
    opened: served.opened,
    recoveries: served.recoveries,
    events: () => ctx.events,
    ended: () => ctx.finished,
    close: () => stream.close(),
  });
  await ctx.done;
  return {
    events: ctx.events,
    error: ctx.error,
    requests: served.requests,
    recoveryRequests: served.recoveries.map((r) => ({
      start_time: r.startTime,
      end_time: r.endTime,
    })),
    pendingTimers: clock.pendingTimers,
  };
}

describe('the supervision contract', () => {
  describe.each(SUPERVISION_CONTRACT.map((s) => [s.name, s] as const))('%s', (_name, scenario) => {
    it('(a) on the supervisor', () => {
      const result = runOnSupervisor(scenario);
      expect(project(result.events)).toEqual(scenario.expected.events);
      expect(mismatchOf(scenario.expected.end, result.error)).toBeUndefined();
    });

    it('(b) through core’s EndpointStream end to end', async () => {
      const result = await runOnCore(scenario);
      expect(project(result.events)).toEqual(scenario.expected.events);
      expect(mismatchOf(scenario.expected.end, result.error)).toBeUndefined();
      // One request per `connecting`, none after the end, and no timer left behind.
      expect(result.requests).toBe(result.events.filter((e) => e.type === 'connecting').length);
      expect(result.pendingTimers).toBe(0);
      expect(result.recoveryRequests).toEqual(scenario.expected.recoveryRequests ?? []);
      const last = result.events.at(-1);
      expect(last?.type).toBe('closed');
      if ('error' in scenario.expected.end) {
        expect(result.events.at(-2)).toEqual({ type: 'error', error: result.error });
      }
    });
  });
});
