/**
 * Transport and compression: how fast does each way of reading a stream over
 * loopback HTTP deliver 2,000 realistic ~3.5 KB messages (one request per
 * iteration; messages/s = 2,000 × hz), all through birdstream's own decoder
 * and parser with validate 'off'? The server sends the body in 16 KiB writes;
 * the gzip body is flushed after every message (Z_SYNC_FLUSH), as a streaming
 * server must. Numbers and the decision: decisions/0004.
 */

import { randomBytes } from 'node:crypto';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { constants, createGunzip, createGzip } from 'node:zlib';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { createMessageParser, LineDecoder } from '../src/decode/index.js';
import { StreamClient } from '../src/index.js';
import { buildCorpus } from './stream-corpus.js';

const COUNT = 2000;
const WRITE = 16 * 1024;
const OPTIONS = { time: 3000, warmupTime: 500 };
const CRLF = Buffer.from('\r\n');

let server: Server;
let baseUrl = '';
let plain: Buffer;
let gzipped: Buffer;

async function gzipPerMessage(body: Uint8Array): Promise<Buffer> {
  const gzip = createGzip();
  const out: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => out.push(chunk));
  const text = Buffer.from(body);
  let start = 0;
  for (let end = text.indexOf(CRLF); end !== -1; end = text.indexOf(CRLF, start)) {
    gzip.write(text.subarray(start, end + 2));
    await new Promise<void>((resolve) => gzip.flush(constants.Z_SYNC_FLUSH, () => resolve()));
    start = end + 2;
  }
  const ended = new Promise<void>((resolve) => gzip.on('end', resolve));
  gzip.end();
  await ended;
  return Buffer.concat(out);
}

/**
 * The corpus repeats five recorded posts, which gzip would shrink ~60×. Real
 * posts differ in text, ids, URLs and profiles; ~480 random base64 characters
 * per message bring the ratio to the ~5× of real JSON streams.
 */
function withUniqueText(body: Uint8Array): Buffer {
  const lines = Buffer.from(body).toString('utf8').split('\r\n');
  return Buffer.from(
    lines
      .map((line) =>
        line.startsWith('{')
          ? `{"unique":"${randomBytes(360).toString('base64')}",${line.slice(1)}`
          : line,
      )
      .join('\r\n'),
  );
}

beforeAll(async () => {
  const corpus = buildCorpus({ count: COUNT, chunkSize: WRITE, numericRuleIds: false });
  plain = withUniqueText(corpus.body);
  gzipped = await gzipPerMessage(plain);
  server = createServer((req, res) => {
    const gzip = (req.headers['accept-encoding'] ?? '').includes('gzip');
    const body = gzip ? gzipped : plain;
    res.writeHead(200, {
      'content-type': 'application/json',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    });
    for (let i = 0; i < body.length; i += WRITE) res.write(body.subarray(i, i + WRITE));
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  console.log(
    `body: ${plain.length} bytes plain, ${gzipped.length} bytes gzip (per-message flush)`,
  );
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Feeds chunks through birdstream's own decoder and parser (validate 'off'), counting posts. */
class Decode {
  private readonly decoder = new LineDecoder();
  private readonly parse = createMessageParser({ validate: 'off' });
  count = 0;
  push(chunk: Uint8Array): void {
    for (const frame of this.decoder.push(chunk)) {
      if (frame.type === 'message' && this.parse(frame).type === 'response') this.count++;
    }
  }
}

function check(count: number): void {
  if (count !== COUNT) {
    console.error(`decoded ${count} messages, expected ${COUNT}`);
    throw new Error(`decoded ${count} messages, expected ${COUNT}`);
  }
}

/** What a node:http transport would give birdstream: http.get (+ createGunzip) into the same decoder. */
function nodeHttp(gzip: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    get(
      `${baseUrl}/2/tweets/sample/stream`,
      { headers: { 'accept-encoding': gzip ? 'gzip' : 'identity' } },
      (res) => {
        const decode = new Decode();
        const source = gzip ? res.pipe(createGunzip()) : res;
        source.on('data', (chunk: Buffer) => decode.push(chunk));
        source.on('end', () => {
          check(decode.count);
          resolve();
        });
        source.on('error', reject);
      },
    ).on('error', reject);
  });
}

async function birdstream(compression: boolean): Promise<void> {
  const client = new StreamClient({ bearerToken: 'bench', baseUrl, compression });
  const connection = await client.connect('sample', {}, { validate: 'off' });
  let count = 0;
  for await (const message of connection) if (message.type === 'response') count++;
  check(count);
}

describe('transport × compression, same decoder and parser (validate off)', () => {
  bench('gzip: birdstream connect (ky + fetch inflating)', () => birdstream(true), OPTIONS);
  bench('gzip: node:http + zlib.createGunzip', () => nodeHttp(true), OPTIONS);
  bench('identity: birdstream connect (ky + fetch)', () => birdstream(false), OPTIONS);
  bench('identity: node:http', () => nodeHttp(false), OPTIONS);
});
