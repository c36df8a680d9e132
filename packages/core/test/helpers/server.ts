import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';

/** An msw server for this test file: unhandled requests fail the test, handlers reset after each test. */
export function useMswServer() {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

/**
 * A handler that answers the n-th request with the n-th responder (the last
 * one repeats), recording the requests.
 */
export function inTurn(responders: Array<(request: Request) => Response | Promise<Response>>) {
  const requests: Request[] = [];
  const handler = ({ request }: { request: Request }) => {
    requests.push(request);
    const respond = responders[Math.min(requests.length - 1, responders.length - 1)]!;
    return respond(request);
  };
  return { handler, requests };
}
