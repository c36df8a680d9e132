import type { z } from 'zod';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../decode/index.js';
import { AbortedError } from '../errors/aborted-error.js';
import { ConnectionError } from '../errors/connection-error.js';
import { createApiError } from '../errors/create-api-error.js';
import { readErrorBody } from '../http/error-body.js';
import type { SecretScrubber } from '../secrets/secret-scrubber.js';
import type { Clock } from '../time/clock.js';
import type { ConnectOptions } from './connection-types.js';
import { describe, HttpStreamConnection } from './http-stream-connection.js';
import type { HttpTransport, TransportResponse } from './transport-types.js';

/** One request as the client prepared it. */
export interface StreamRequest {
  url: string;
  /** Human name of the endpoint, for messages (`filtered stream`). */
  label: string;
  /** The schema each message must match with `validate: 'strict'` or `'tolerant'` (the endpoint table's). */
  schema: z.ZodType;
  /** A message's identity for `validate: 'tolerant'` (the endpoint table's `dedupeKey`). */
  identity?: (message: unknown) => string | undefined;
  /** Request headers, including the Authorization header: never exposed. */
  headers: Record<string, string>;
  /** How the request is sent (the client's Node or fetch transport). */
  transport: HttpTransport;
  clock: Clock;
  /** Bound on getting the response headers (and an error body). */
  connectTimeoutMs: number;
  /** Knows the token: an error body is scrubbed before it is quoted. */
  scrubber?: SecretScrubber;
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

  const pending = request.transport.request(request.url, request.headers, controller.signal);
  let response: TransportResponse;
  try {
    // Raced against the abort, so a fetch that ignores its signal cannot hold us past a timeout.
    response = await Promise.race([pending, rejectOnAbort(controller.signal)]);
  } catch (error) {
    // A response that still arrives after the abort is released, never read.
    void pending.then(
      (late) => late.cancel(),
      () => undefined,
    );
    return fail(
      new ConnectionError(
        `Could not connect to the ${request.label} at ${new URL(request.url).origin} (${describe(error)}).`,
        { cause: error },
      ),
    );
  }

  if (response.status < 200 || response.status > 299) {
    let bodyText: string;
    try {
      bodyText = await Promise.race([
        readErrorBody(response.toResponse()),
        rejectOnAbort(controller.signal),
      ]);
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
        scrubber: request.scrubber,
      }),
    );
  }

  request.clock.clearTimeout(timer);
  if (signal?.aborted) return fail(new AbortedError());

  connection = new HttpStreamConnection<R>({
    url: request.url,
    label: request.label,
    status: response.status,
    headers: response.headers,
    body: response.body(),
    controller,
    validate: options.validate ?? 'tolerant',
    schema: request.schema,
    identity: request.identity,
    maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    onBytes: options.onBytes,
    onFrame: options.onFrame,
    onClose: detach,
    scrubber: request.scrubber,
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
