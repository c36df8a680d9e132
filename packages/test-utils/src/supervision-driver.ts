import { HttpResponse } from 'msw';
import { readFixtureText } from './fixtures.js';
import type { ManualClock } from './manual-clock.js';
import { type ControlledBody, controlledBody, streamLine } from './stream-body.js';
import type {
  ContractRecovery,
  ContractStep,
  SupervisionScenario,
} from './supervision-contract.js';

/** An open connection of a contract run: its body and the timeline to play on it. */
export interface ContractOpenConnection {
  body: ControlledBody;
  steps: readonly ContractStep[];
}

/** A recovery request of a contract run: its body, its URL's window and what to play on it. */
export interface ContractRecoveryRequest {
  body: ControlledBody;
  startTime: string | null;
  endTime: string | null;
  recovery: ContractRecovery;
}

/**
 * An msw resolver that serves a scenario's connections in turn (the last
 * repeats): `HttpResponse.error()` for `refuse`, the status and body for an
 * HTTP error, a body the driver controls for `open`. A request with
 * `start_time` is a recovery request (`recoverGaps`): it gets a body the
 * driver controls and counts apart from `requests`.
 */
export function contractServer(scenario: SupervisionScenario): {
  handler: (info: { request: Request }) => Response;
  /** Live requests served so far. */
  readonly requests: number;
  /** The open connections, in order. */
  opened: ContractOpenConnection[];
  /** The recovery requests, in order. */
  recoveries: ContractRecoveryRequest[];
} {
  const opened: ContractOpenConnection[] = [];
  const recoveries: ContractRecoveryRequest[] = [];
  let requests = 0;
  const handler = ({ request }: { request: Request }) => {
    const url = new URL(request.url);
    if (url.searchParams.has('start_time')) {
      const plans = scenario.recoveries ?? [{ posts: 0, ending: 'end' }];
      const body = controlledBody();
      recoveries.push({
        body,
        startTime: url.searchParams.get('start_time'),
        endTime: url.searchParams.get('end_time'),
        recovery: plans[Math.min(recoveries.length, plans.length - 1)]!,
      });
      return new HttpResponse(body.body) as Response;
    }
    const index = Math.min(requests, scenario.connections.length - 1);
    requests++;
    const connection = scenario.connections[index]!;
    if ('refuse' in connection) return HttpResponse.error() as Response;
    if ('status' in connection) {
      return new HttpResponse(connection.body ?? '', {
        status: connection.status,
        headers: connection.headers ?? {},
      }) as Response;
    }
    const body = controlledBody();
    opened.push({ body, steps: connection.open });
    return new HttpResponse(body.body) as Response;
  };
  return {
    handler,
    get requests() {
      return requests;
    },
    opened,
    recoveries,
  };
}

/** What `driveContract` needs from a running stream (core's `EndpointStream` or an rx subscription). */
export interface ContractHarness {
  clock: ManualClock;
  opened: readonly ContractOpenConnection[];
  /** The recovery requests served (`contractServer().recoveries`). @default [] */
  recoveries?: readonly ContractRecoveryRequest[];
  /** Every lifecycle event so far, in order (other values are ignored). */
  events(): readonly { type: string }[];
  /** True once the stream ended (error or completion). */
  ended(): boolean;
  /** Closes the stream (core `close()`, rx `unsubscribe()`). */
  close(): Promise<void> | void;
}

async function waitFor(predicate: () => boolean, what: string | (() => string)): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (let round = 0; ; round++) {
    if (predicate()) return;
    if (Date.now() > deadline) {
      throw new Error(`Gave up waiting for ${typeof what === 'string' ? what : what()}.`);
    }
    await new Promise<void>((resolve) =>
      round % 100 === 99 ? setTimeout(resolve, 1) : setImmediate(resolve),
    );
  }
}

let postIds = 1_000_000_000_000_000_000n;

const postMessage = () => {
  const id = String(postIds++);
  return { data: { id, text: `post ${id}`, edit_history_tweet_ids: [id] } };
};

/**
 * Plays a scenario on a running stream in virtual time: each open
 * connection's timeline once it is `connected`, and each announced
 * back-off by moving the clock by exactly the announced delay (after
 * checking the driver's timer is that delay). Closes the stream when the
 * scenario's `closeAfter`-th `reconnecting` is announced. Returns when the
 * stream ended or was closed.
 */
export async function driveContract(
  scenario: SupervisionScenario,
  harness: ContractHarness,
): Promise<void> {
  const { clock } = harness;
  const stallMs = scenario.options.stallTimeoutMs ?? 30_000;
  const count = (type: string) => harness.events().filter((e) => e.type === type).length;
  const disconnectLine = (() => {
    const recorded = JSON.parse(
      readFixtureText('stream/twarc-csv/msg_04_operational_disconnect_error.json'),
    ) as { errors: unknown[] };
    return streamLine({ errors: recorded.errors });
  })();
  let played = 0;
  let followed = 0;
  let recovered = 0;
  const recoveryEvents = (phases: readonly string[]) =>
    harness
      .events()
      .filter(
        (e) => e.type === 'recovery' && phases.includes((e as unknown as { phase: string }).phase),
      ).length;
  for (;;) {
    await waitFor(
      () => harness.ended() || count('connected') > played || count('reconnecting') > followed,
      `progress in "${scenario.name}" (connections played ${played}, reconnects ${followed})`,
    );
    if (count('connected') > played) {
      const connection = harness.opened[played];
      if (connection === undefined)
        throw new Error('A connection opened that the server never served.');
      played++;
      // The recoveries started with this connection: played to their end before its timeline,
      // so their `completed`/`failed` events have one place in the order.
      while (recovered < recoveryEvents(['started'])) {
        await waitFor(
          () => (harness.recoveries?.length ?? 0) > recovered,
          `recovery request ${recovered + 1} in "${scenario.name}"`,
        );
        const request = harness.recoveries![recovered]!;
        recovered++;
        for (let i = 0; i < request.recovery.posts; i++) request.body.message(postMessage());
        if (request.recovery.ending === 'end') request.body.end();
        else request.body.fail();
        await waitFor(
          () => recoveryEvents(['completed', 'failed']) >= recovered,
          `recovery ${recovered} to end in "${scenario.name}"`,
        );
      }
      for (const step of connection.steps) {
        if (typeof step === 'object') await clock.advance(step.wait);
        else if (step === 'keep-alive') connection.body.keepAlive();
        else if (step === 'post') connection.body.message(postMessage());
        else if (step === 'operational-disconnect') connection.body.push(disconnectLine);
        else if (step === 'drop') connection.body.fail();
        else if (step === 'end') connection.body.end();
        else await clock.advance(stallMs);
        // Let the reader take the bytes before time moves on.
        if (typeof step !== 'object') await clock.advance(0);
      }
      continue;
    }
    if (count('reconnecting') > followed) {
      followed++;
      const announced = harness.events().filter((e) => e.type === 'reconnecting')[
        followed - 1
      ] as unknown as {
        delayMs: number;
      };
      if (scenario.closeAfter === followed) {
        await harness.close();
        return;
      }
      if (announced.delayMs > 0) {
        await waitFor(
          () => clock.pendingDelays()[0] === announced.delayMs,
          () =>
            `the back-off timer of ${announced.delayMs} ms (pending: ${clock.pendingDelays().join(', ')} ms)`,
        );
      }
      await clock.advance(announced.delayMs);
      continue;
    }
    if (harness.ended()) return;
  }
}
