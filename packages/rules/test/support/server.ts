import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';

/** The base URL tests talk to (msw intercepts it). */
export const BASE = 'https://api.x.com';
export const RULES_URL = `${BASE}/2/tweets/search/stream/rules`;
export const COUNTS_URL = `${BASE}/2/tweets/search/stream/rules/counts`;

/** A bearer token that must never show up anywhere. */
export const TOKEN = 'AAAAAAAAAAAAAAAAAAAAAsecret%2Ftoken%3DTESTONLY0123456789';

/** An msw server for one test file: unhandled requests fail the test. */
export function useServer() {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}
