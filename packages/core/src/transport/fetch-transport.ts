import type { KyInstance } from 'ky';
import { loadKy } from './load-ky.js';
import type { ByteSource, HttpTransport, TransportResponse } from './transport-types.js';

/**
 * The fetch transport: ky over `fetch` (the platform's, or the caller's own),
 * with no retry (our reconnect policy decides), no timeout (ours runs on the
 * injected clock), no thrown HTTP errors (we map statuses) and no redirects
 * followed (a redirect must never carry the token elsewhere; it is reported
 * as an error instead).
 */
export function createFetchTransport(fetch?: typeof globalThis.fetch): HttpTransport {
  // ky is loaded on the first request (see `loadKy`).
  let http: Promise<KyInstance> | undefined;
  return {
    kind: 'fetch',
    async request(url, headers, signal) {
      http ??= loadKy().then(({ default: ky }) =>
        ky.create({
          retry: 0,
          timeout: false,
          throwHttpErrors: false,
          redirect: 'manual',
          ...(fetch ? { fetch } : {}),
        }),
      );
      const response = await (await http).get(url, { headers, signal });
      return fetchResponse(response);
    },
    destroy() {
      // fetch's connection pool is not ours to close; each body is cancelled by its connection.
    },
  };
}

function fetchResponse(response: Response): TransportResponse {
  return {
    status: response.status,
    headers: response.headers,
    body: () => readerSource(response),
    toResponse: () => response,
    cancel: () => {
      response.body?.cancel().catch(() => undefined);
    },
  };
}

/** A `ByteSource` over a fetch body: one chunk per read. */
function readerSource(response: Response): ByteSource {
  const body = response.body;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let cancelled = false;
  return {
    async read() {
      if (cancelled || !body) return null;
      reader ??= body.getReader();
      const result = await reader.read();
      return result.done ? null : [result.value];
    },
    cancel() {
      if (cancelled) return;
      cancelled = true;
      // Not awaited: a tee'd or proxied body may never settle its cancel promise.
      const cancelling = reader ? reader.cancel() : body?.cancel();
      cancelling?.catch(() => undefined);
    },
  };
}
