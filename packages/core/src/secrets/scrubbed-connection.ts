import type { ConnectionMessage, StreamConnection } from '../transport/connection-types.js';
import type { SecretScrubber } from './secret-scrubber.js';

/**
 * `connection` with everything the server said that is not a post scrubbed
 * of the registered secrets: a `payload-invalid` message's error (and its
 * `raw` line), the `errors` of an error-only or partial-error message, and
 * the error that ends the iteration. Posts themselves pass untouched (their
 * `errors`, when present, are scrubbed).
 */
export function scrubbedConnection<R>(
  connection: StreamConnection<R>,
  scrubber: SecretScrubber,
): StreamConnection<R> {
  if (!scrubber.active) return connection;
  const scrubMessage = (message: ConnectionMessage<R>): ConnectionMessage<R> => {
    if (message.type === 'payload-invalid') scrubber.scrubError(message.error);
    else if (message.type === 'response') {
      const response = message.response as { errors?: unknown } | null;
      if (response !== null && typeof response === 'object' && response.errors !== undefined) {
        response.errors = scrubber.scrubValue(response.errors);
      }
    }
    return message;
  };
  return {
    url: connection.url,
    status: connection.status,
    headers: connection.headers,
    rateLimit: connection.rateLimit,
    close: () => connection.close(),
    [Symbol.asyncIterator](): AsyncIterator<ConnectionMessage<R>> {
      const inner = connection[Symbol.asyncIterator]();
      const fail = (error: unknown): never => {
        throw scrubber.scrubError(error);
      };
      return {
        next: () =>
          inner.next().then((result) => {
            if (!result.done) scrubMessage(result.value);
            return result;
          }, fail),
        return: (value?: unknown) =>
          inner.return
            ? inner.return(value).catch(fail)
            : Promise.resolve({ done: true as const, value: undefined }),
      };
    },
  };
}
