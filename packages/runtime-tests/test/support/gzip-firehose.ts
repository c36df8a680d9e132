import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { constants, createGzip } from 'node:zlib';

/** What the firehose has done so far (`GET /status`). */
export interface FirehoseStatus {
  /** gzip bytes handed to the socket. */
  compressedBytes: number;
  /** Bytes before compression: what a client inflates. */
  rawBytes: number;
  /** The socket has taken nothing for `BLOCKED_AFTER_MS`: the client stopped reading. */
  blocked: boolean;
  /** The cap was reached: the client read on although its consumer took nothing. */
  overrun: boolean;
}

/**
 * A server that sends posts (`"id"` counting up from `FIRST_ID`) gzip-encoded
 * as fast as the client reads them, and answers `GET /status`. It stops at
 * `capBytes` of gzip (far more than the socket buffers hold) so that a client
 * that inflates without bound cannot take the machine's memory with it.
 */
export interface GzipFirehose {
  url: string;
  /** The request headers of every stream request, in order. */
  requests: IncomingHttpHeaders[];
  status(): FirehoseStatus;
  close(): Promise<void>;
}

export const FIRST_ID = 1_500_000_000_000_000_000n;
/**
 * No byte taken for this long counts as "the client stopped reading". Real
 * time: on a busy machine a reader that is merely slow can look blocked early,
 * which makes the test measure less, never fail a correct client.
 */
const BLOCKED_AFTER_MS = 2_000;
/**
 * One post line. The text is one word over and over: a body that compresses several hundred
 * times, where a fetch that inflates ahead of its reader shows at once (X's posts compress about
 * 5×; the bound must hold for any body, a burst of near-identical posts included).
 */
function postLine(id: bigint): string {
  const text = `${String(id)} ${'a'.repeat(4_000)}`;
  return `${JSON.stringify({ data: { id: String(id), text, edit_history_tweet_ids: [String(id)] }, matching_rules: [{ id: '1', tag: 'firehose' }] })}\r\n`;
}

export async function startGzipFirehose(capBytes = 24 * 1024 * 1024): Promise<GzipFirehose> {
  const requests: IncomingHttpHeaders[] = [];
  let compressedBytes = 0;
  let rawBytes = 0;
  let waitingSince: number | undefined;
  const server: Server = createServer((req, res) => {
    if (req.url === '/status') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(status()));
      return;
    }
    requests.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    const gzip = createGzip({ flush: constants.Z_NO_FLUSH });
    gzip.on('data', (chunk: Buffer) => {
      compressedBytes += chunk.length;
      if (!res.write(chunk)) {
        waitingSince ??= performance.now();
        gzip.pause();
      }
    });
    res.on('drain', () => {
      waitingSince = undefined;
      gzip.resume();
    });
    let id = FIRST_ID;
    const produce = () => {
      if (res.destroyed) return;
      while (compressedBytes < capBytes) {
        let batch = '';
        for (let i = 0; i < 16; i++) batch += postLine(id++);
        rawBytes += Buffer.byteLength(batch);
        // Let zlib's output drain before producing more: memory stays with the client.
        if (!gzip.write(batch)) {
          gzip.once('drain', produce);
          return;
        }
      }
      gzip.flush(constants.Z_SYNC_FLUSH);
    };
    res.on('close', () => gzip.destroy());
    produce();
  });
  const status = (): FirehoseStatus => ({
    compressedBytes,
    rawBytes,
    blocked: waitingSince !== undefined && performance.now() - waitingSince >= BLOCKED_AFTER_MS,
    overrun: compressedBytes >= capBytes,
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    status,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
