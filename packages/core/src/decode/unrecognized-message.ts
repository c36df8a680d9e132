import type { PayloadIssue } from '../errors/payload-error.js';

/**
 * Why a message could not be delivered as its stream's type:
 * - `unknown-type`: a JSON object with neither `data` nor `errors` (a
 *   message type this version does not know, or not a message at all);
 * - `identity-missing`: it has `data`, but the item's identity (the
 *   endpoint row's dedupe key: a post's `data.id`, a like's id, a
 *   compliance event's kind, subject and time, …) cannot be read;
 * - `irreconcilable`: a required field does not match its declared type
 *   and cannot be coerced losslessly, or nothing typed is left of it.
 */
export type UnrecognizedReason = 'unknown-type' | 'identity-missing' | 'irreconcilable';

/**
 * A message X sent that `validate: 'tolerant'` could not deliver as its
 * stream's type. Nothing is dropped silently: it reaches you through the
 * stream's `unrecognized` event, as X sent it (ids exact, secrets scrubbed),
 * with the issues that kept it from being delivered.
 */
export interface UnrecognizedMessage {
  reason: UnrecognizedReason;
  /** The message as X sent it, parsed (ids exact; the bearer token scrubbed by the stream). */
  message: Record<string, unknown>;
  /** What kept it from being delivered: where, and what (never quoting values). */
  issues: PayloadIssue[];
  /** Size of the message in bytes. */
  byteLength: number;
}

/** An {@link UnrecognizedMessage}. */
export function unrecognized(
  reason: UnrecognizedReason,
  message: Record<string, unknown>,
  issues: PayloadIssue[],
  byteLength: number,
): UnrecognizedMessage {
  return { reason, message, issues, byteLength };
}
