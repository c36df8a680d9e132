import { type HttpHandler, HttpResponse, http } from 'msw';
import { type EngineControls, engineControls } from '../engine/controls.js';
import { API_PATHS, type EngineResponse, XApiEngine } from '../engine/engine.js';
import type { XApiEmulationOptions } from '../engine/options.js';
import { STREAM_PATHS } from '../engine/stream-routes.js';
import { mswStream } from './msw-sink.js';

/** Options of {@link createXApiHandlers}. */
export interface XApiHandlersOptions extends XApiEmulationOptions {
  /**
   * Base URLs to answer for (no trailing slash). X serves the same paths on both hosts.
   * @default ['https://api.x.com', 'https://api.twitter.com']
   */
  baseUrl?: string | readonly string[];
}

/** msw handlers backed by the emulator's engine, and the controls of that engine. */
export interface XApiHandlers extends EngineControls {
  /** Pass them to `setupServer(...x.handlers)` or `server.use(...x.handlers)`. */
  readonly handlers: HttpHandler[];
  /** Ends open streams and cancels every timer (call it in `afterEach`). */
  close(): void;
}

function toResponse(response: EngineResponse, signal: AbortSignal): Response {
  if (response.kind === 'body') {
    return new HttpResponse(response.body, { status: response.status, headers: response.headers });
  }
  return new HttpResponse(mswStream(response.gzip, signal, response.open), {
    status: response.status,
    headers: response.headers,
  });
}

/**
 * msw request handlers that answer like X's filtered stream, sample stream
 * and rules endpoints, from the same engine as `startEmulator` (rules store,
 * seeded posts, backfill, keep-alives, faults, stats), for tests that mock
 * `fetch` instead of starting a server. Streams are `ReadableStream` bodies.
 *
 * @example
 * ```ts
 * import { setupServer } from 'msw/node';
 * import { createXApiHandlers } from '@birdstream/testing/msw';
 *
 * const x = createXApiHandlers({ seed: 1, timeScale: 100, rules: [{ value: 'coffee' }] });
 * const server = setupServer(...x.handlers);
 * server.listen({ onUnhandledRequest: 'error' });
 * // ... run the code under test against https://api.x.com ...
 * x.inject({ type: 'operational-disconnect' });
 * expect(x.stats().connectionsOpened).toBe(2);
 * x.close();
 * server.close();
 * ```
 */
export function createXApiHandlers(options: XApiHandlersOptions = {}): XApiHandlers {
  const { baseUrl = ['https://api.x.com', 'https://api.twitter.com'], ...rest } = options;
  const engine = new XApiEngine(rest);
  const bases = (typeof baseUrl === 'string' ? [baseUrl] : [...baseUrl]).map((b) =>
    b.replace(/\/+$/, ''),
  );
  const paths = [...STREAM_PATHS, ...API_PATHS];
  const handlers = bases.flatMap((base) =>
    paths.map((path) =>
      http.all(`${base}${path}`, async ({ request }) => {
        const body =
          request.method === 'POST' || request.method === 'DELETE'
            ? await request.text()
            : undefined;
        const response = await engine.handle({
          method: request.method,
          url: new URL(request.url),
          header: (name) => request.headers.get(name),
          body,
        });
        return toResponse(response, request.signal);
      }),
    ),
  );
  return {
    handlers,
    ...engineControls(engine),
    close: () => engine.close(),
  };
}
