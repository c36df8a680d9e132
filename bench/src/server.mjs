// @ts-check
/**
 * The loopback stream server, run as its own process (forked by the
 * runner). It plays X's filtered stream at `GET …/2/tweets/search/stream`:
 * the runner prepares scenarios (corpus × chunking × encoding) ahead, then
 * arms one before each consumer runs; the next stream request gets it. The
 * body never ends (X's does not): the consumer closes the connection once it
 * holds every post. With `paceRate`, messages are written at that rate and
 * the write time of each message's last byte is stamped for latency.
 *
 * IPC messages in: prepare, arm, drop, exit. Out: ready, prepared, armed,
 * served (after each stream closes), error.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { chunkEnds } from './chunking.mjs';
import { monotonicMs } from './clock.mjs';
import { buildCorpus } from './corpus.mjs';
import { foldChecksum } from './digest.mjs';
import { checkGzip, gzipChunks, identityChunks } from './encode.mjs';

/**
 * @typedef {object} Prepared
 * @property {string} key
 * @property {import('./corpus.mjs').Corpus} corpus
 * @property {Uint32Array} ends plain chunk end offsets
 * @property {Buffer[]} identity
 * @property {Buffer[] | undefined} gzip
 * @property {'identity' | 'gzip'} encoding
 */

/** @type {Map<string, import('./corpus.mjs').Corpus>} */
const corpora = new Map();
/** @type {Map<string, Prepared>} */
const prepared = new Map();
/** @type {{ key: string, paceRate: number | undefined } | undefined} */
let armed;

const workDir = process.argv[2] ?? process.cwd();

/** @param {Record<string, unknown>} message */
function send(message) {
  process.send?.(message);
}

/**
 * @param {{ key: string, count: number, seed: number, chunking: import('./chunking.mjs').Chunking, encoding: 'identity' | 'gzip' }} spec
 */
async function prepare(spec) {
  const started = performance.now();
  const corpusKey = `${spec.count}-${spec.seed}`;
  let corpus = corpora.get(corpusKey);
  let digestsPath = join(workDir, `digests-${corpusKey}.bin`);
  if (!corpus) {
    corpus = buildCorpus(spec.count, spec.seed);
    corpora.set(corpusKey, corpus);
    writeFileSync(digestsPath, corpus.digests);
  }
  digestsPath = join(workDir, `digests-${corpusKey}.bin`);
  const ends = chunkEnds(spec.chunking, corpus.body.length, corpus.messageEnds, spec.seed);
  const identity = identityChunks(corpus.body, ends);
  let gzip;
  if (spec.encoding === 'gzip') {
    gzip = await gzipChunks(corpus.body, ends);
    checkGzip(gzip, corpus.body);
  }
  prepared.set(spec.key, { key: spec.key, corpus, ends, identity, gzip, encoding: spec.encoding });
  let checksum = 0;
  for (const digest of corpus.digests) checksum = foldChecksum(checksum, digest);
  send({
    type: 'prepared',
    key: spec.key,
    digestsPath,
    expectedChecksum: checksum,
    plainBytes: corpus.body.length,
    wireBytes: (gzip ?? identity).reduce((sum, chunk) => sum + chunk.length, 0),
    writes: ends.length,
    keepAlives: corpus.keepAlives,
    prepareMs: performance.now() - started,
  });
}

/** @param {string} key */
function drop(key) {
  prepared.delete(key);
  const inUse = new Set([...prepared.values()].map((p) => p.corpus));
  for (const [corpusKey, corpus] of corpora) if (!inUse.has(corpus)) corpora.delete(corpusKey);
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (req.method !== 'GET' || !url.pathname.endsWith('/2/tweets/search/stream')) {
    res.writeHead(404, { 'content-type': 'application/problem+json' });
    res.end(
      JSON.stringify({
        title: 'Not Found Error',
        detail: 'Only the filtered stream is served here.',
        type: 'about:blank',
        status: 404,
      }),
    );
    return;
  }
  if (!/^Bearer \S+/.test(req.headers.authorization ?? '')) {
    res.writeHead(401, { 'content-type': 'application/problem+json' });
    res.end(
      JSON.stringify({
        title: 'Unauthorized',
        type: 'about:blank',
        status: 401,
        detail: 'Unauthorized',
      }),
    );
    return;
  }
  const run = armed;
  armed = undefined;
  const scenario = run && prepared.get(run.key);
  if (!run || !scenario) {
    res.writeHead(503, { 'content-type': 'application/problem+json' });
    res.end(
      JSON.stringify({
        title: 'Service Unavailable',
        type: 'about:blank',
        status: 503,
        detail: 'No scenario armed.',
      }),
    );
    return;
  }
  const acceptEncoding = String(req.headers['accept-encoding'] ?? '');
  const gzip = scenario.encoding === 'gzip' && /\bgzip\b/.test(acceptEncoding);
  const chunks = gzip ? /** @type {Buffer[]} */ (scenario.gzip) : scenario.identity;
  /** @type {Record<string, string>} */
  const headers = {
    'content-type': 'application/json; charset=utf-8',
    'x-rate-limit-limit': '50',
    'x-rate-limit-remaining': '49',
  };
  if (gzip) headers['content-encoding'] = 'gzip';
  res.writeHead(200, headers);
  res.flushHeaders();
  req.socket.setNoDelay(true);

  const { messageEnds } = scenario.corpus;
  const paced = run.paceRate !== undefined;
  const sentAt = paced ? new Float64Array(messageEnds.length) : undefined;
  let next = 0; // next chunk to write
  let message = 0; // next message whose last byte is not yet written
  let wireBytes = 0;
  let closed = false;
  /** @type {NodeJS.Timeout | undefined} */
  let timer;

  /** Writes chunk `next`; returns false when the socket asks to wait. */
  const writeNext = () => {
    const chunk = /** @type {Buffer} */ (chunks[next]);
    const ok = res.write(chunk);
    wireBytes += chunk.length;
    const end = /** @type {number} */ (scenario.ends[next]);
    next++;
    if (sentAt) {
      const now = monotonicMs();
      while (message < messageEnds.length && /** @type {number} */ (messageEnds[message]) <= end) {
        sentAt[message++] = now;
      }
    }
    return ok;
  };

  const pump = () => {
    while (!closed && next < chunks.length) {
      if (!writeNext()) {
        res.once('drain', pump);
        return;
      }
    }
  };

  const pace = () => {
    if (closed) return;
    const rate = /** @type {number} */ (run.paceRate);
    const due = Math.min(
      chunks.length,
      Math.floor(((monotonicMs() - startedAt) * rate) / 1000) + 1,
    );
    while (next < due) writeNext();
    if (next < chunks.length) timer = setTimeout(pace, 1);
  };

  const startedAt = monotonicMs();
  if (paced) pace();
  else pump();

  res.on('close', () => {
    closed = true;
    clearTimeout(timer);
    send({
      type: 'served',
      key: run.key,
      encoding: gzip ? 'gzip' : 'identity',
      acceptEncoding,
      userAgent: String(req.headers['user-agent'] ?? ''),
      wireBytes,
      complete: next === chunks.length,
      sentAt: sentAt ? Array.from(sentAt) : undefined,
    });
  });
});

process.on('message', (/** @type {any} */ message) => {
  const reply = (/** @type {Promise<void> | void} */ work) =>
    Promise.resolve(work).catch((error) =>
      send({ type: 'error', message: String(error?.stack ?? error) }),
    );
  if (message.type === 'prepare') reply(prepare(message));
  else if (message.type === 'arm') {
    armed = { key: message.key, paceRate: message.paceRate };
    send({ type: 'armed', key: message.key });
  } else if (message.type === 'drop') drop(message.key);
  else if (message.type === 'exit') {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});

server.keepAliveTimeout = 1000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  send({ type: 'ready', port: typeof address === 'object' && address ? address.port : 0 });
});
