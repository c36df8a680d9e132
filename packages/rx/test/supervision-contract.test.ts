import { type ReconnectPolicyHook, StreamClient } from '@birdstream/core';
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
  useMswServer,
} from '@birdstream/test-utils';
import { http } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  fromFilteredStream,
  heartbeatTimeout,
  type RetryStreamConfig,
  retryStream,
} from '../src/index.js';
import { clockScheduler } from './support/clock-scheduler.js';
import { record } from './support/recorder.js';

const server = useMswServer();
const FILTER = 'https://api.x.com/2/tweets/search/stream';

function project(events: readonly unknown[]): ContractEvent[] {
  return events.flatMap((event) => {
    const projected = contractEvent(event as { type: string } & Record<string, unknown>);
    return projected === undefined ? [] : [projected];
  });
}

/** Runner (c): rx's fromFilteredStream → heartbeatTimeout → retryStream end to end over msw. */
async function runOnRx(scenario: SupervisionScenario) {
  const clock = new ManualClock(CONTRACT_START);
  const scheduler = clockScheduler(clock);
  const served = contractServer(scenario);
  server.use(http.get(FILTER, served.handler));
  const o = scenario.options;
  const config: RetryStreamConfig = { scheduler };
  if (o.maxRetries !== undefined) config.maxRetries = o.maxRetries;
  if (o.healthyAfterMs !== undefined) config.healthyAfterMs = o.healthyAfterMs;
  if (o.backfill !== undefined) config.backfill = o.backfill;
  if (o.firstConnection !== undefined) config.firstConnection = o.firstConnection;
  if (o.policy !== undefined) config.policy = o.policy as unknown as ReconnectPolicyHook;
  if (o.recoverGaps !== undefined) config.recoverGaps = o.recoverGaps;
  const client = new StreamClient({ bearerToken: 'token', clock });
  const r = record(
    fromFilteredStream(client, {}, { scheduler }).pipe(
      heartbeatTimeout(o.stallTimeoutMs ?? 30_000, scheduler),
      retryStream(config),
    ),
  );
  await driveContract(scenario, {
    clock,
    opened: served.opened,
    recoveries: served.recoveries,
    events: () => r.values as { type: string }[],
    ended: () => r.error !== undefined || r.completed,
    close: () => r.subscription.unsubscribe(),
  });
  await clock.advance(0);
  const recoveryRequests = served.recoveries.map((request) => ({
    start_time: request.startTime,
    end_time: request.endTime,
  }));
  return { r, requests: served.requests, recoveryRequests, pendingTimers: clock.pendingTimers };
}

describe('the supervision contract', () => {
  it.each(SUPERVISION_CONTRACT.map((s) => [s.name, s] as const))(
    '(c) through rx’s retryStream end to end: %s',
    async (_name, scenario) => {
      const { r, requests, recoveryRequests, pendingTimers } = await runOnRx(scenario);
      expect(project(r.values)).toEqual(scenario.expected.events);
      expect(mismatchOf(scenario.expected.end, r.error)).toBeUndefined();
      expect(requests).toBe(r.values.filter((e) => e.type === 'connecting').length);
      expect(pendingTimers).toBe(0);
      expect(recoveryRequests).toEqual(scenario.expected.recoveryRequests ?? []);
    },
  );
});
