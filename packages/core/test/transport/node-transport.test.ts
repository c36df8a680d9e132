import { constants, createGzip } from 'node:zlib';
import {
  type ConnectionMessage,
  isAbortedError,
  isApiError,
  isConnectionError,
  StreamClient,
  type StreamClientOptions,
  StreamResponse,
  systemClock,
} from '@birdstream/core';
import { arbitraryCuts, ManualClock, splitAt } from '@birdstream/test-utils';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createNodeTransport } from '../../src/transport/node-transport.js';
import { openConnection } from '../../src/transport/open-connection.js';
import type { HttpTransport } from '../../src/transport/transport-types.js';
import { postLine } from '../helpers/messages.js';
import { until } from '../helpers/until.js';
import { startLoopback } from './loopback.js';

const TOKEN = 'nodeTransportSecret42';

function client(baseUrl: string, extra: Partial<StreamClientOptions> = {}) {
  return new StreamClient({ bearerToken: TOKEN, baseUrl, ...extra });
}

async function collect<R>(connection: AsyncIterable<ConnectionMessage<R>>) {
  const out: ConnectionMessage<R>[] = [];
  for await (const message of connection) out.push(message);
  return out;
}

function ids(messages: ConnectionMessage<unknown>[]) {
  return messages.map((m) =>
    m.type === 'response' ? (m.response as { data: { id: string } }).data.id : m.type,
  );
}

const TEXTS = ['café ☕ 🥁', 'line\\nbreak', 'plain', '日本語のテキスト'];
const body = Buffer.from(
  [
    postLine('1', TEXTS[0]),
    '\r\n',
    postLine('2', TEXTS[1]),
    postLine('3', TEXTS[2]),
    postLine('4', TEXTS[3]),
  ].join(''),
);

describe('the Node transport is the default on Node', () => {
  test('sends the headers, no keep-alive, and decodes a stream written in random pieces', async () => {
    const server = await startLoopback();
    await fc.assert(
      fc.asyncProperty(arbitraryCuts(body.length), async (cuts) => {
        server.handler = (_req, res) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          const pieces = splitAt(body, cuts);
          const next = () => {
            const piece = pieces.shift();
            if (piece === undefined) res.end();
            else res.write(piece, () => setImmediate(next));
          };
          next();
        };
        const connection = await client(server.url).connect('filter', {});
        expect(ids(await collect(connection))).toEqual(['1', 'keep-alive', '2', '3', '4']);
      }),
      { numRuns: 15 },
    );
    const request = server.requests[0]!;
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request.headers['accept-encoding']).toBe('gzip');
    expect(request.headers.connection).toBe('close');
    expect(request.headers['user-agent']).toMatch(/^birdstream\//);
  });

  test('inflates gzip fed in random chunks (one deflate block per message or cut anywhere)', async () => {
    const server = await startLoopback();
    const gzipped = await new Promise<Buffer>((resolve) => {
      const gzip = createGzip({ flush: constants.Z_SYNC_FLUSH });
      const out: Buffer[] = [];
      gzip.on('data', (chunk: Buffer) => out.push(chunk));
      gzip.on('end', () => resolve(Buffer.concat(out)));
      gzip.end(body);
    });
    await fc.assert(
      fc.asyncProperty(arbitraryCuts(gzipped.length), async (cuts) => {
        server.handler = (_req, res) => {
          res.writeHead(200, { 'content-encoding': 'gzip' });
          const pieces = splitAt(gzipped, cuts);
          const next = () => {
            const piece = pieces.shift();
            if (piece === undefined) res.end();
            else res.write(piece, () => setImmediate(next));
          };
          next();
        };
        const messages = await collect(await client(server.url).connect('filter', {}));
        expect(ids(messages)).toEqual(['1', 'keep-alive', '2', '3', '4']);
        const texts = messages.flatMap((m) =>
          m.type === 'response' ? [(m.response as { data: { text: string } }).data.text] : [],
        );
        expect(texts).toEqual(TEXTS);
      }),
      { numRuns: 15 },
    );
  });

  test('readBatch() hands over every message of a chunk at once, then null at the end', async () => {
    const server = await startLoopback();
    let release!: () => void;
    server.handler = (_req, res) => {
      res.writeHead(200);
      res.write(`${postLine('1')}${postLine('2')}\r\n${postLine('3')}`);
      release = () => res.end(postLine('4'));
    };
    const connection = await client(server.url).connect('filter', {});
    const first = await connection.readBatch!();
    expect(ids(first!)).toEqual(['1', '2', 'keep-alive', '3']);
    release();
    expect(ids((await connection.readBatch!())!)).toEqual(['4']);
    expect(await connection.readBatch!()).toBeNull();
    expect(() => connection[Symbol.asyncIterator]()).toThrow(/already being read/);
  });

  test('a body cut mid-message by the server is a ConnectionError; the messages before it arrive', async () => {
    const server = await startLoopback();
    server.handler = (req, res) => {
      res.writeHead(200);
      res.write(`${postLine('1')}{"data":{"id":"2"`, () =>
        setImmediate(() => req.socket.destroy()),
      );
    };
    const connection = await client(server.url).connect('filter', {});
    const received: ConnectionMessage<unknown>[] = [];
    const error = await (async () => {
      for await (const message of connection) received.push(message);
    })().catch((e: unknown) => e);
    expect(ids(received)).toEqual(['1']);
    expect(isConnectionError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /^The connection to the filtered stream was interrupted/,
    );
  });
});

test('gzip: a socket dropped mid-stream still delivers every message whose bytes arrived, then fails', async () => {
  const server = await startLoopback();
  server.handler = (req, res) => {
    res.writeHead(200, { 'content-encoding': 'gzip' });
    const gzip = createGzip({ flush: constants.Z_SYNC_FLUSH });
    gzip.on('data', (chunk: Buffer) => res.write(chunk));
    gzip.write(`${postLine('1')}${postLine('2')}${postLine('3')}`, () =>
      gzip.flush(constants.Z_SYNC_FLUSH, () =>
        res.write('', () => setImmediate(() => req.socket.destroy())),
      ),
    );
  };
  const connection = await client(server.url).connect('filter', {});
  const received: ConnectionMessage<unknown>[] = [];
  const error = await (async () => {
    for await (const message of connection) received.push(message);
  })().catch((e: unknown) => e);
  expect(ids(received)).toEqual(['1', '2', '3']);
  expect(isConnectionError(error)).toBe(true);
});

describe('redirects never carry the token', () => {
  for (const transport of ['node', 'fetch'] as const) {
    test(`${transport}: a 302 to another origin is an error and the other origin sees no request`, async () => {
      const elsewhere = await startLoopback();
      const server = await startLoopback();
      server.handler = (_req, res) => {
        res.writeHead(302, { location: `${elsewhere.url}/2/tweets/search/stream` }).end();
      };
      const error = await client(server.url, { transport })
        .connect('filter', {})
        .catch((e: unknown) => e);
      expect(isApiError(error)).toBe(true);
      expect((error as { status: number }).status).toBe(302);
      expect(elsewhere.requests).toHaveLength(0);
      expect(JSON.stringify(error)).not.toContain(TOKEN);
    });
  }
});

describe('error bodies', () => {
  test('a gzip problem body is inflated and classified', async () => {
    const server = await startLoopback();
    server.handler = (_req, res) => {
      res.writeHead(429, {
        'content-type': 'application/problem+json',
        'content-encoding': 'gzip',
      });
      const gzip = createGzip();
      gzip.pipe(res);
      gzip.end(
        JSON.stringify({
          title: 'ConnectionException',
          detail: 'This stream is currently at the maximum allowed connection limit.',
          connection_issue: 'TooManyConnections',
          type: 'https://api.twitter.com/2/problems/streaming-connection',
        }),
      );
    };
    const error = await client(server.url)
      .connect('filter', {})
      .catch((e: unknown) => e);
    expect(isApiError(error)).toBe(true);
    expect((error as { connectionIssue?: string }).connectionIssue).toBe('TooManyConnections');
  });

  test('an endless error body is read up to 64 KiB, then the socket is closed', async () => {
    const server = await startLoopback();
    let written = 0;
    server.handler = (_req, res) => {
      res.writeHead(503, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(16 * 1024, 'x');
      const pump = () => {
        let more = true;
        while (more && !res.destroyed) {
          more = res.write(chunk);
          written += chunk.length;
        }
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    };
    const error = await client(server.url)
      .connect('filter', {})
      .catch((e: unknown) => e);
    expect(isApiError(error)).toBe(true);
    expect((error as { status: number }).status).toBe(503);
    expect((error as { bodyText?: string }).bodyText?.length).toBeLessThanOrEqual(80 * 1024);
    await until(() => server.openSockets() === 0, 'the server to see the socket closed');
    expect(written).toBeGreaterThan(64 * 1024);
  });
});

describe('timeouts and cancellation on a real socket', () => {
  test('no response headers within connectTimeoutMs (virtual time) is a ConnectionError; the socket closes', async () => {
    const server = await startLoopback();
    server.handler = () => {}; // never answers
    const clock = new ManualClock();
    const pending = client(server.url, { clock, connectTimeoutMs: 2_000 })
      .connect('filter', {})
      .catch((e: unknown) => e);
    await until(() => server.requests.length === 1, 'the request');
    await clock.advance(2_000);
    const error = await pending;
    expect(isConnectionError(error)).toBe(true);
    expect((error as Error).message).toBe(
      'The filtered stream did not answer within 2000 ms (connectTimeoutMs).',
    );
    expect(clock.pendingTimers).toBe(0);
    await until(() => server.openSockets() === 0, 'the socket to close');
  });

  test('aborting while the error body is being read rejects with AbortedError and closes the socket', async () => {
    const server = await startLoopback();
    server.handler = (_req, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.write('{"title":');
    };
    const inner = createNodeTransport();
    let headers = false;
    const transport: HttpTransport = {
      ...inner,
      request: async (...args) => {
        const response = await inner.request(...args);
        headers = true;
        return response;
      },
    };
    const controller = new AbortController();
    const pending = openConnection(
      {
        url: `${server.url}/2/tweets/search/stream`,
        label: 'filtered stream',
        schema: StreamResponse,
        headers: {},
        transport,
        clock: systemClock,
        connectTimeoutMs: 10_000,
      },
      { signal: controller.signal },
    ).catch((e: unknown) => e);
    await until(() => headers, 'the response head');
    controller.abort();
    expect(isAbortedError(await pending)).toBe(true);
    await until(() => server.openSockets() === 0, 'the socket to close');
  });

  test('close() while a read is pending ends the iteration quietly and closes the socket', async () => {
    const server = await startLoopback();
    server.handler = (_req, res) => {
      res.writeHead(200);
      res.write(postLine('1'));
    };
    const connection = await client(server.url).connect('filter', {});
    const received: ConnectionMessage<unknown>[] = [];
    const done = (async () => {
      for await (const message of connection) received.push(message);
    })();
    await until(() => received.length === 1, 'the post');
    await connection.close();
    await done;
    expect(ids(received)).toEqual(['1']);
    await until(() => server.openSockets() === 0, 'the socket to close');
  });

  test('a refused connection is a ConnectionError naming the origin', async () => {
    const server = await startLoopback();
    const url = server.url;
    await server.close();
    const error = await client(url)
      .connect('filter', {})
      .catch((e: unknown) => e);
    expect(isConnectionError(error)).toBe(true);
    expect((error as Error).message).toContain(
      `Could not connect to the filtered stream at ${url}`,
    );
    expect((error as Error).message).toContain('ECONNREFUSED');
  });
});
