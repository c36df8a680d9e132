import type { KillResult } from '../admin/admin-schemas.js';
import type { BirdstreamError } from '../errors/birdstream-error.js';
import type { FailureKind } from '../errors/classify-failure.js';
import type {
  BackfillEvent,
  DisconnectedEvent,
  ReclaimedEvent,
  ReconnectingEvent,
  RecoveryEvent,
  StreamLifecycleEvent,
} from '../events/lifecycle.js';
import type { RecoveryWindow } from './recovery-plan.js';

/*
 * The supervisor's protocol: what a driver tells it (`SupervisorAction`), what it answers
 * (`SupervisorResult`: a `SupervisorDecision` and the `SupervisionEvent`s to emit). Core's
 * for-await driver and rx's `retryStream` speak it; `supervisor.ts` decides.
 */

/** What a driver tells the supervisor. Times are the driver's clock, epoch ms. */
export type SupervisorAction =
  /** The driver is about to open a connection (the first, or after a back-off). */
  | { type: 'connect'; at: number }
  /** The request for this connection goes to `url` (for messages; never credentials). */
  | { type: 'connecting'; url: string }
  /** The server answered 200. */
  | { type: 'connected'; at: number }
  /**
   * Bytes arrived (a post, a keep-alive, any message). For an item, `itemAt`
   * is when it was created (`itemTime()`): while a connection replays a
   * backfill, only item times say how far the replay has got.
   */
  | { type: 'activity'; at: number; itemAt?: number | undefined }
  /** X announced an `operational-disconnect` on this connection. */
  | { type: 'operational-disconnect' }
  /** The attempt or the connection failed. `stalled` defaults to `isStallError(error)`. */
  | { type: 'failure'; error: unknown; at: number; stalled?: boolean }
  /** A recovery window's request ended (`error` when it failed), after `posts` posts. */
  | { type: 'recovery-ended'; id: number; posts: number; error?: unknown }
  /**
   * The driver's answer to a `reclaim` decision: what it killed (`successful`
   * of them terminated), how many listed connections it `kept`, why, and the
   * listing or kill `error` if one failed.
   */
  | {
      type: 'reclaimed';
      at: number;
      killed: readonly KillResult[];
      successful: number;
      kept: number;
      reason: string;
      error?: unknown;
    }
  /** The consumer closed the stream. */
  | { type: 'close' };

/** What the driver must do next. */
export type SupervisorDecision =
  /** Nothing changes: keep reading. */
  | { type: 'continue' }
  /** Open a connection now with these `attempt` and `backfillMinutes` (for `connecting`). */
  | { type: 'connect'; attempt: number; backfillMinutes: number | undefined }
  /** Wait `delayMs`, then dispatch `connect`. */
  | { type: 'reconnect'; delayMs: number; attempt: number; kind: Exclude<FailureKind, 'fatal'> }
  /**
   * A 429 TooManyConnections with `reclaim` on: list the app's connections
   * to this endpoint, kill the stale ones, then dispatch `reclaimed`.
   */
  | { type: 'reclaim'; error: BirdstreamError }
  /** End the stream with `error`. */
  | { type: 'stop'; error: BirdstreamError }
  /** The stream is closed: release everything, emit nothing more. */
  | { type: 'closed' };

/** The events the supervisor emits: the ones about supervision, never about messages. */
export type SupervisionEvent =
  | BackfillEvent
  | DisconnectedEvent
  | ReclaimedEvent
  | ReconnectingEvent
  | RecoveryEvent;

/** One dispatch's result: a decision and the lifecycle events to emit, in order. */
export interface SupervisorResult {
  decision: SupervisorDecision;
  events: readonly SupervisionEvent[];
  /** Recovery windows to start now, beside the live connection (at most 2 run at once). */
  recover?: readonly RecoveryWindow[];
}

/** Narrows a lifecycle event to the ones the supervisor emits. */
export function isSupervisionEvent(event: StreamLifecycleEvent): event is SupervisionEvent {
  return (
    event.type === 'backfill' ||
    event.type === 'disconnected' ||
    event.type === 'reconnecting' ||
    event.type === 'reclaimed' ||
    event.type === 'recovery'
  );
}
