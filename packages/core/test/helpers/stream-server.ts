import { useMswServer } from '@birdstream/test-utils';
import type { SetupServer } from 'msw/node';
import { afterEach } from 'vitest';
import { closeAllStreams } from './stream-runner.js';

/** The filtered stream on the default base URL, which most client tests serve. */
export const FILTER = 'https://api.x.com/2/tweets/search/stream';

/**
 * The msw server of a file of `EndpointStream` tests: `useMswServer()` from
 * test-utils, and after each test every stream `run()` started is closed,
 * so a failed test leaks nothing into the next.
 */
export function useStreamServer(): SetupServer {
  const server = useMswServer();
  afterEach(closeAllStreams);
  return server;
}
