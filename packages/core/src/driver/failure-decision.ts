import type { StreamEventEmitter } from '../events/event-emitter.js';
import type { StreamSupervisor } from '../reconnect/supervisor.js';
import type { Clock } from '../time/clock.js';
import { serverEndedError } from './message-events.js';
import { type ReclaimContext, reclaimStale } from './reclaim-stale.js';

/** What `afterFailure` needs from the driver. */
export interface FailureContext {
  supervisor: StreamSupervisor;
  emitter: StreamEventEmitter;
  clock: Clock;
  signal: AbortSignal;
  reclaim: ReclaimContext | undefined;
}

/**
 * Tells the supervisor how an attempt or a connection ended and carries out
 * its decision: the back-off to wait before the next attempt (ms), or
 * `undefined` when the stream is closed. Throws the error that ends the
 * stream (after its `error` event). When the supervisor asks to reclaim
 * (a 429 TooManyConnections with `reclaimStaleConnections`), the I/O —
 * list, kill — is done here and its outcome reported back.
 */
export async function afterFailure(
  ctx: FailureContext,
  failure: unknown,
  stalled: boolean,
): Promise<number | undefined> {
  const { supervisor, emitter, clock, signal } = ctx;
  let result = supervisor.dispatch({
    type: 'failure',
    error: failure ?? serverEndedError(),
    at: clock.now(),
    stalled,
  });
  for (const event of result.events) emitter.emit(event);
  if (result.decision.type === 'reclaim' && ctx.reclaim !== undefined) {
    const since = ctx.reclaim.since ?? supervisor.state.startedAt ?? clock.now();
    const outcome = await reclaimStale(ctx.reclaim, since, signal);
    if (signal.aborted) return undefined;
    result = supervisor.dispatch({ type: 'reclaimed', at: clock.now(), ...outcome });
    for (const event of result.events) emitter.emit(event);
  }
  const decision = result.decision;
  if (decision.type === 'stop') {
    emitter.emit({ type: 'error', error: decision.error });
    throw decision.error;
  }
  return decision.type === 'reconnect' ? decision.delayMs : undefined;
}
