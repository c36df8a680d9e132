import type { KyInstance } from 'ky';
import type { z } from 'zod';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../decode/index.js';
import { AbortedError } from '../errors/aborted-error.js';
import { createApiError } from '../errors/api-errors.js';
import { ConnectionError } from '../errors/connection-error.js';
import { readErrorBody } from '../http/error-body.js';
import type { Clock } from '../time/clock.js';
import type { ConnectOptions } from './connection-types.js';
import { describe, HttpStreamConnection } from './http-stream-connection.js';

/** One request as the client prepared it. */
export interface StreamRequest {
  url: string;
  /** Human name of the endpoint, for messages (`filtered stream`). */
  label: string;
  /** The schema each message must match with `validate: 'strict'` (the endpoint table's). */
  schema: z.ZodType;
  /** Request headers, including the Authorization header: never exposed. */
  headers: Record<string, string>;
  http: KyInstance;
  clock: Clock;
  /** Bound on getting the response headers (and an error body). */
  connectTimeoutMs: number;
}

/**
 * Sends one GET to a stream endpoint and resolves once the response headers
 * arrived with status 200. Rejects with the typed `ApiError` for an HTTP
 * error (body read and classified), `ConnectionError` for a network failure
 * or a timeout waiting for the headers, `AbortedError` when `signal` aborts.
 */
export async function openConnection<R>(
  request: StreamRequest,
  options: ConnectOptions = {},
): Promise<HttpStreamConnection<R>> {
  const { signal } = options;
  if (signal?.aborted) {
    throw new AbortedError('The connection attempt was cancelled.', { cause: signal.reason });
  }
  const controller = new AbortController();
  let connection: HttpStreamConnection<R> | undefined;
  const onAbort = () => {
    controller.abort(signal?.reason);
    void connection?.close();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  const detach = () => signal?.removeEventListener('abort', onAbort);

  let timedOut = false;
  const timer = request.clock.setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, request.connectTimeoutMs);
  const fail = (error: unknown): never => {
    request.clock.clearTimeout(timer);
    detach();
    controller.abort();
    if (signal?.aborted) {
      throw new AbortedError('The connection attempt was cancelled.', { cause: signal.reason });
    }
    if (timedOut) {
      throw new ConnectionError(
        `The ${request.label} did not answer within ${request.connectTimeoutMs} ms (connectTimeoutMs).`,
        { cause: error },
      );
    }
    throw error;
  };

  const pending = request.http.get(request.url, {
    headers: request.headers,
    signal: controller.signal,
  });
  let response: Response;
  try {
    // Raced against the abort, so a fetch that ignores its signal cannot hold us past a timeout.
    response = await Promise.race([pending, rejectOnAbort(controller.signal)]);
  } catch (error) {
    // A response that still arrives after the abort is released, never read.
    void pending.then(
      (late) => late.body?.cancel().catch(() => undefined),
      () => undefined,
    );
    return fail(
      new ConnectionError(
        `Could not connect to the ${request.label} at ${new URL(request.url).origin} (${describe(error)}).`,
        { cause: error },
      ),
    );
  }

  if (!response.ok) {
    let bodyText: string;
    try {
      bodyText = await Promise.race([readErrorBody(response), rejectOnAbort(controller.signal)]);
    } catch (error) {
      return fail(
        new ConnectionError(
          `The ${request.label} answered HTTP ${response.status}, but its body could not be read (${describe(error)}).`,
          { cause: error },
        ),
      );
    }
    return fail(
      createApiError({
        status: response.status,
        headers: response.headers,
        bodyText,
        operation: `connect to the ${request.label}`,
      }),
    );
  }

  request.clock.clearTimeout(timer);
  if (!response.body) {
    return fail(new ConnectionError(`The ${request.label} answered without a body.`));
  }
  if (signal?.aborted) return fail(new AbortedError());

  connection = new HttpStreamConnection<R>({
    url: request.url,
    label: request.label,
    response,
    body: response.body,
    controller,
    validate: options.validate ?? 'strict',
    schema: request.schema,
    maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    onBytes: options.onBytes,
    onClose: detach,
  });
  return connection;
}

/** A promise that rejects once `signal` aborts (and never settles otherwise). */
function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise<never>((_, reject) => {
    const onAbort = () => reject(signal.reason ?? new Error('aborted'));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}
