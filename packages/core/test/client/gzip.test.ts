import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { constants, createGzip } from 'node:zlib';
import { StreamClient } from '@birdstream/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { postLine } from '../helpers/messages.js';

// A real server on 127.0.0.1 (no msw: msw inflates mocked bodies itself, which
// would not test what fetch does with a gzip stream).
let httpServer: ReturnType<typeof createServer>;
let baseUrl: string;
let handler: (req: IncomingMessage, res: ServerResponse) => void = () => {};

beforeAll(async () => {
  httpServer = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  httpServer.closeAllConnections();
  await new Promise((resolve) => httpServer.close(resolve));
});

describe('gzip end to end', () => {
  test('a gzip stream flushed per message is inflated and decoded as it arrives', async () => {
    let acceptEncoding: string | undefined;
    let sendNext!: () => void;
    handler = (req, res) => {
      acceptEncoding = req.headers['accept-encoding'];
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      const gzip = createGzip({ flush: constants.Z_SYNC_FLUSH });
      gzip.pipe(res);
      const lines = [postLine('1', 'café ☕ 🥁'), '\r\n', postLine('2'), postLine('3')];
      let i = 0;
      sendNext = () => {
        const line = lines[i++];
        if (line === undefined) gzip.end();
        else gzip.write(line);
      };
      sendNext();
    };
    const stream = new StreamClient({ bearerToken: 't', baseUrl }).filter({}, { maxRetries: 0 });
    const ids: string[] = [];
    let keepAlives = 0;
    stream.on('keep-alive', () => keepAlives++);
    const closedByServer = new Promise<void>((resolve) => stream.on('error', () => resolve()));
    try {
      for await (const response of stream) {
        ids.push(response.data.id);
        if (ids.length === 1) expect(response.data.text).toBe('café ☕ 🥁');
        // the server sends the next message only after this one arrived: proves per-message delivery
        sendNext();
        sendNext();
      }
    } catch {
      // maxRetries: 0 — the server ending the stream ends the loop with an error
    }
    await closedByServer;
    expect(acceptEncoding).toBe('gzip');
    expect(ids).toEqual(['1', '2', '3']);
    expect(keepAlives).toBe(1);
  });

  test('compression: false asks for identity', async () => {
    let acceptEncoding: string | undefined;
    handler = (req, res) => {
      acceptEncoding = req.headers['accept-encoding'];
      res.writeHead(200);
      res.end(postLine('9'));
    };
    const connection = await new StreamClient({
      bearerToken: 't',
      baseUrl,
      compression: false,
    }).connect('sample', {});
    const ids: string[] = [];
    for await (const message of connection) {
      if (message.type === 'response')
        ids.push((message.response as { data: { id: string } }).data.id);
    }
    expect(acceptEncoding).toBe('identity');
    expect(ids).toEqual(['9']);
  });
});
