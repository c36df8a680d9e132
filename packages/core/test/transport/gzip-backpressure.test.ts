import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGzip, constants as zlibConstants } from 'node:zlib';
import { StreamClient } from '@birdstream/core';
import { afterAll, beforeAll, expect, test } from 'vitest';

const N = 5_000;

/** The body as X sends it: gzip flushed after every message (so it can be cut anywhere). */
async function flushedGzip(): Promise<Buffer> {
  const gzip = createGzip();
  const parts: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => parts.push(chunk));
  for (let i = 0; i < N; i++) {
    const id = String(1_500_000_000_000_000_000n + BigInt(i));
    gzip.write(
      `${JSON.stringify({ data: { id, text: `${'é'.repeat(1_000)}${i}`, edit_history_tweet_ids: ['1'] } })}\r\n`,
    );
    gzip.flush(zlibConstants.Z_FULL_FLUSH);
  }
  gzip.end();
  await once(gzip, 'end');
  return Buffer.concat(parts);
}

let server: Server;
let url: string;
beforeAll(async () => {
  const body = await flushedGzip();
  let seed = 7;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    let at = 0;
    // Random slices of 1 B to 64 KiB, many per tick: the socket outpaces zlib, which is what
    // makes the transport coalesce and pause the socket.
    const write = () => {
      for (let k = 0; k < 20 && at < body.length; k++) {
        const size = 1 + Math.floor(random() * 65_536);
        const ok = res.write(body.subarray(at, at + size));
        at += size;
        if (!ok) {
          res.once('drain', write);
          return;
        }
      }
      if (at < body.length) setImmediate(write);
      else res.end();
    };
    write();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('a gzip body that arrives faster than it inflates is delivered whole (the socket is resumed once zlib caught up)', async () => {
  const client = new StreamClient({ bearerToken: 't', baseUrl: url, transport: 'node' });
  // A socket left paused would stall: with a short stall window, that ends the run early.
  const stream = client.filter({}, { validate: 'off', maxRetries: 0, stallTimeoutMs: 3_000 });
  const ids = new Set<string>();
  let error: unknown;
  try {
    for await (const response of stream) ids.add(response.data.id);
  } catch (e) {
    error = e;
  }
  expect(ids.size).toBe(N);
  // The server ended the body after the last message: with maxRetries 0 that is the end.
  expect((error as Error).message).toMatch(/server ended the stream/);
});
