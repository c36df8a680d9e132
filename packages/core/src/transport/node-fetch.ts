import type { HttpTransport } from './transport-types.js';

/**
 * A `fetch` over birdstream's Node transport: the REST clients use it when
 * they are given a `proxy`, so their requests take the same agents, proxy
 * tunnels and socket ownership as the streams. It answers what ky asks of a
 * `fetch` (a `Request` or a URL and init; method, headers, a body, a signal)
 * and never follows redirects (a redirect is answered as is, so the token
 * never goes to another origin).
 */
export function createNodeFetch(transport: HttpTransport): typeof globalThis.fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const body =
      request.method === 'GET' || request.method === 'HEAD'
        ? undefined
        : new Uint8Array(await request.arrayBuffer());
    // A known length, never chunked: proxies and servers all take that.
    delete headers['transfer-encoding'];
    if (body !== undefined) headers['content-length'] = String(body.byteLength);
    const response = await transport.request(request.url, headers, request.signal, {
      method: request.method,
      body,
    });
    return response.toResponse();
  };
}
