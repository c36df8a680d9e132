import { isOperationalDisconnect } from '../decode/index.js';
import { ConnectionError } from '../errors/connection-error.js';
import type { ProblemDetails } from '../errors/problem.js';
import type {
  ConnectedEvent,
  ConnectingEvent,
  KeepAliveEvent,
  PayloadInvalidEvent,
  StreamErrorsEvent,
} from '../events/lifecycle.js';
import type { ConnectionMessage, StreamConnection } from '../transport/connection-types.js';

/**
 * One connection message as the stream's consumers see it — the one
 * message → lifecycle-event translation of birdstream, used by core's
 * `EndpointStream` driver and by `@birdstream/rx`'s sources:
 * - `keep-alive`: a `keep-alive` event;
 * - `payload-invalid`: a `payload-invalid` event (the message is skipped);
 * - `response`: a `stream-errors` event when it carried `errors`
 *   (`disconnect` true for X's `operational-disconnect`), and the response
 *   to deliver when it carried a post (`data`).
 */
export type TranslatedMessage<R> =
  | { kind: 'keep-alive'; event: KeepAliveEvent }
  | { kind: 'payload-invalid'; event: PayloadInvalidEvent }
  | {
      kind: 'response';
      /** The in-band errors, if any. */
      errors: StreamErrorsEvent | undefined;
      /** The response to deliver when it carries a post; `undefined` for an error-only message. */
      post: R | undefined;
      /** True when X announced an operational disconnect: the connection ends after it. */
      disconnect: boolean;
      /** True when the disconnect is X's `SlowReader` ("Client too slow"): this client read too slowly. */
      slowReader: boolean;
    };

/** What a `SlowReader` disconnect means and what to do, for events and errors. */
export const SLOW_READER_REASON =
  'X disconnected this client for reading too slowly (SlowReader, "Client too slow"): its buffer for this connection filled and the posts in it were lost. Decouple reading from processing (read into a queue, process in workers) or speed up the consumer; watch the `falling-behind` event (spec §6.4).';

/** True for an in-band error naming a slow reader: `disconnect_type: SlowReader` or "client too slow". */
function isSlowReader(errors: readonly unknown[]): boolean {
  return errors.some((error) => {
    if (typeof error !== 'object' || error === null) return false;
    const { disconnect_type: type, detail, title } = error as Record<string, unknown>;
    if (type === 'SlowReader') return true;
    return [detail, title].some((t) => typeof t === 'string' && /client too slow/i.test(t));
  });
}

/** The shape read from each message (core decoded and, in strict mode, validated it). */
interface MessageLike {
  data?: unknown;
  errors?: readonly unknown[] | undefined;
}

/** Translates one connection message; `at` stamps keep-alives (clock time, epoch ms). */
export function translateMessage<R>(
  message: ConnectionMessage<unknown>,
  at: number,
): TranslatedMessage<R> {
  switch (message.type) {
    case 'keep-alive':
      return { kind: 'keep-alive', event: { type: 'keep-alive', at } };
    case 'payload-invalid':
      return { kind: 'payload-invalid', event: { type: 'payload-invalid', error: message.error } };
    case 'response': {
      const response = message.response as MessageLike;
      let errors: StreamErrorsEvent | undefined;
      let disconnect = false;
      let slowReader = false;
      if (response.errors !== undefined && response.errors.length > 0) {
        disconnect = isOperationalDisconnect(response);
        slowReader = isSlowReader(response.errors);
        errors = {
          type: 'stream-errors',
          errors: response.errors as ProblemDetails[],
          withData: response.data !== undefined,
          disconnect,
        };
        if (slowReader) errors.reason = SLOW_READER_REASON;
      }
      const post = response.data !== undefined ? (message.response as R) : undefined;
      return { kind: 'response', errors, post, disconnect, slowReader };
    }
  }
}

/**
 * The post a message carries, or `undefined` (a keep-alive, an invalid
 * message, an error-only message): what a recovery request keeps of its
 * messages (its lifecycle says nothing about the live connection).
 */
export function postOf<R>(message: ConnectionMessage<unknown>): R | undefined {
  if (message.type !== 'response') return undefined;
  return (message.response as MessageLike).data !== undefined ? (message.response as R) : undefined;
}

/** The `connecting` event of one attempt. */
export function connectingEvent(
  attempt: number,
  url: string,
  backfillMinutes: number | undefined,
): ConnectingEvent {
  return backfillMinutes === undefined
    ? { type: 'connecting', attempt, url }
    : { type: 'connecting', attempt, url, backfillMinutes };
}

/** The `connected` event of an open connection. */
export function connectedEvent(
  attempt: number,
  connection: Pick<StreamConnection<unknown>, 'status' | 'headers' | 'rateLimit'>,
): ConnectedEvent {
  return connection.rateLimit === undefined
    ? { type: 'connected', attempt, status: connection.status, headers: connection.headers }
    : {
        type: 'connected',
        attempt,
        status: connection.status,
        headers: connection.headers,
        rateLimit: connection.rateLimit,
      };
}

/**
 * The failure reported when X announced an operational disconnect; a
 * `SlowReader` one is named as such, with what to do.
 */
export function operationalDisconnectError(slowReader = false): ConnectionError {
  if (slowReader) return new ConnectionError(`${SLOW_READER_REASON} Reconnecting.`);
  return new ConnectionError(
    'X ended the stream for operational reasons (operational-disconnect); reconnecting.',
  );
}

/** The failure reported when the server ended a live stream's body. */
export function serverEndedError(): ConnectionError {
  return new ConnectionError('The server ended the stream; reconnecting.');
}
