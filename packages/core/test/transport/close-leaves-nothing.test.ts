import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamClient } from '@birdstream/core';
import { describe, expect, test } from 'vitest';
import { postLine } from '../helpers/messages.js';
import { until } from '../helpers/until.js';
import { activeResources, type Loopback, startLoopback } from './loopback.js';

/**
 * Issue 14 item 3: `close()` at any moment leaves no socket and no timer.
 * A real server on 127.0.0.1, the real clock (its timers are real handles),
 * and `process.getActiveResourcesInfo()` before and after; the server's own
 * count of open sockets confirms from the other side.
 */

/** Handles that belong to a client: sockets, their connect/DNS requests, timers. */
const CLIENT_KINDS = [
  'TCPSocketWrap',
  'TCPConnectWrap',
  'GetAddrInfoReqWrap',
  'Timeout',
  'TLSWrap',
];

function clientResources(): Record<string, number> {
  const all = activeResources();
  return Object.fromEntries(CLIENT_KINDS.map((kind) => [kind, all[kind] ?? 0]));
}

/**
 * Turns the event loop (each turn polls I/O) until `predicate` holds, at most
 * `turns` times: "at once" without a wall-clock bound. A socket left in a
 * pool for a keep-alive timeout (seconds) fails this; a destroyed one is gone
 * after a few turns.
 */
async function withinTurns(predicate: () => boolean, what: string, turns = 2_000) {
  for (let turn = 0; turn < turns; turn++) {
    if (predicate()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error(`Still waiting for ${what} after ${turns} event-loop turns.`);
}

async function expectNothingLeft(server: Loopback, before: Record<string, number>) {
  await withinTurns(() => server.openSockets() === 0, 'the server to see every socket closed');
  // Nothing more than before the client started (a handle of an earlier test may end meanwhile).
  const added = () =>
    Object.entries(clientResources()).filter(([kind, count]) => count > (before[kind] ?? 0));
  await withinTurns(() => added().length === 0, 'the client to hold no socket, lookup or timer');
  expect(added()).toEqual([]);
  expect(server.openSockets()).toBe(0);
}

type Phase = {
  name: string;
  /** localhost makes the first phase a DNS lookup. */
  host?: 'localhost';
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  /** Resolves once the client is in the phase. */
  reached: (server: Loopback, events: string[]) => Promise<void>;
};

const never = () => {};

const PHASES: Phase[] = [
  {
    name: 'before the request left (DNS lookup of localhost)',
    host: 'localhost',
    handler: never,
    reached: async () => {},
  },
  {
    name: 'connecting (the TCP connection is open, no request seen yet)',
    handler: never,
    reached: async (server) => {
      await until(() => server.openSockets() === 1, 'the TCP connection');
    },
  },
  {
    name: 'waiting for the response headers',
    handler: never,
    reached: async (server) => {
      await until(() => server.requests.length === 1, 'the request');
    },
  },
  {
    name: 'reading an error body that never ends',
    handler: (_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.write('{"title":"Service Unavailable",');
    },
    reached: async (server) => {
      await until(() => server.requests.length === 1, 'the request');
    },
  },
  {
    name: 'in a back-off wait after a 503 (a real timer)',
    handler: (_req, res) => {
      res
        .writeHead(503, { 'content-type': 'application/json' })
        .end('{"title":"Service Unavailable"}');
    },
    reached: async (_server, events) => {
      await until(() => events.includes('reconnecting'), 'the back-off');
    },
  },
  {
    name: 'reading the body (stall watchdog armed)',
    handler: (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(postLine('1'));
    },
    reached: async (_server, events) => {
      await until(() => events.includes('post'), 'the first post');
    },
  },
];

describe('close() at any moment leaves no socket and no timer (real server, real clock)', () => {
  for (const phase of PHASES) {
    test(phase.name, async () => {
      const server = await startLoopback();
      server.handler = phase.handler;
      const before = clientResources();
      const baseUrl = phase.host ? server.url.replace('127.0.0.1', phase.host) : server.url;
      const stream = new StreamClient({ bearerToken: 't', baseUrl }).filter();
      const events: string[] = [];
      stream.on('reconnecting', () => events.push('reconnecting'));
      const done = (async () => {
        for await (const _ of stream) events.push('post');
      })();
      await phase.reached(server, events);
      await stream.close();
      await done;
      await expectNothingLeft(server, before);
    });
  }

  test('break out of for await mid-body', async () => {
    const server = await startLoopback();
    server.handler = (_req, res) => {
      res.writeHead(200);
      res.write(`${postLine('1')}${postLine('2')}`);
    };
    const before = clientResources();
    for await (const response of new StreamClient({
      bearerToken: 't',
      baseUrl: server.url,
    }).filter()) {
      expect(response.data.id).toBe('1');
      break;
    }
    await expectNothingLeft(server, before);
  });

  test('connect(): aborting the signal while the headers are pending, and close() mid-body', async () => {
    const server = await startLoopback();
    server.handler = never;
    const before = clientResources();
    const client = new StreamClient({ bearerToken: 't', baseUrl: server.url });
    const controller = new AbortController();
    const pending = client
      .connect('filter', {}, { signal: controller.signal })
      .catch(() => undefined);
    await until(() => server.requests.length === 1, 'the request');
    controller.abort();
    await pending;
    await expectNothingLeft(server, before);

    server.handler = (_req, res) => {
      res.writeHead(200);
      res.write('\r\n');
    };
    const connection = await client.connect('filter', {});
    await connection.readBatch!();
    await connection.close();
    await expectNothingLeft(server, before);
  });
});
