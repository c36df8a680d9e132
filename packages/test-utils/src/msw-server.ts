import { type SetupServer, setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';

/**
 * An msw server for one test file, following CONTRIBUTING: it listens with
 * `onUnhandledRequest: 'error'` (a request no handler expects fails the
 * test), handlers added with `server.use()` are reset after each test, and it
 * closes after the file. Call it at the top level of the test file.
 *
 * @example
 * ```ts
 * const server = useMswServer();
 * test('…', async () => {
 *   server.use(http.get(FILTER, () => new HttpResponse(bodyFromChunks(['\r\n']))));
 * });
 * ```
 */
export function useMswServer(): SetupServer {
  const server = setupServer();
  // msw answers node:http requests too, but sends the headers only with the
  // first body chunk and turns a failing body into a hang-up: clients in msw
  // tests use the fetch transport (the Node transport is tested on real sockets).
  const previous = process.env.BIRDSTREAM_TRANSPORT;
  beforeAll(() => {
    process.env.BIRDSTREAM_TRANSPORT = 'fetch';
    server.listen({ onUnhandledRequest: 'error' });
  });
  afterEach(() => server.resetHandlers());
  afterAll(() => {
    server.close();
    if (previous === undefined) delete process.env.BIRDSTREAM_TRANSPORT;
    else process.env.BIRDSTREAM_TRANSPORT = previous;
  });
  return server;
}

/** Answers one request (what {@link inTurn} takes, one per request). */
export type Responder = (request: Request) => Response | Promise<Response>;

/**
 * An msw resolver that answers the n-th request with the n-th responder (the
 * last one repeats) and records the requests, for scripting a reconnecting
 * client: a failure, then a stream, say.
 *
 * @example
 * ```ts
 * const turn = inTurn([() => HttpResponse.error(), () => new HttpResponse(body)]);
 * server.use(http.get(FILTER, turn.handler));
 * // … later: expect(turn.requests).toHaveLength(2);
 * ```
 */
export function inTurn(responders: readonly Responder[]): {
  handler: (info: { request: Request }) => Response | Promise<Response>;
  requests: Request[];
} {
  if (responders.length === 0) throw new Error('inTurn needs at least one responder.');
  const requests: Request[] = [];
  const handler = ({ request }: { request: Request }) => {
    requests.push(request);
    const respond = responders[Math.min(requests.length - 1, responders.length - 1)]!;
    return respond(request);
  };
  return { handler, requests };
}

/**
 * An msw resolver that holds every request until the test calls `release()`,
 * then answers it with `respond`: for testing what a client does while it
 * waits for the response headers (aborts, connect timeouts). `requests`
 * records the requests as they arrive.
 *
 * @example
 * ```ts
 * const held = heldResponse(() => new HttpResponse(bodyFromChunks([])));
 * server.use(http.get(FILTER, held.handler));
 * const pending = client.connect('filter', {}, { signal });
 * await until(() => held.requests.length === 1, 'the request');
 * controller.abort();
 * held.release();
 * ```
 */
export function heldResponse(respond: Responder): {
  handler: (info: { request: Request }) => Promise<Response>;
  requests: Request[];
  release(): void;
} {
  const requests: Request[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const handler = async ({ request }: { request: Request }) => {
    requests.push(request);
    await released;
    return respond(request);
  };
  return { handler, requests, release };
}
