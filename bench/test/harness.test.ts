import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHUNKINGS, chunkEnds, MAX_CHUNK } from '../src/chunking.mjs';
import { buildCorpus } from '../src/corpus.mjs';
import { foldChecksum, indexOfId } from '../src/digest.mjs';
import { gzipChunks } from '../src/encode.mjs';
import { runConsumer } from '../src/run-consumer.mjs';
import { ServerHandle } from '../src/server-handle.mjs';
import { Tally } from '../src/tally.mjs';

const corpus = buildCorpus(60, 7);
const lines = corpus.body
  .toString('utf8')
  .split('\r\n')
  .filter((line) => line !== '')
  .map((line) => JSON.parse(line) as { data: { id: string; text: string } });

describe('corpus', () => {
  it('is the same for the same seed and differs for another', () => {
    expect(buildCorpus(60, 7).body.equals(corpus.body)).toBe(true);
    expect(buildCorpus(60, 8).body.equals(corpus.body)).toBe(false);
  });

  it('holds realistic posts: ~2.9 KB, 19-digit ids, multibyte text with newlines, keep-alives', () => {
    const big = buildCorpus(500, 1);
    const average = big.messageEnds[499]! / 500;
    expect(average).toBeGreaterThan(2_600);
    expect(average).toBeLessThan(3_200);
    expect(big.keepAlives).toBeGreaterThan(0);
    expect(big.body.includes('\r\n\r\n')).toBe(true);
    const texts = lines.map((line) => line.data.text).join('');
    expect(texts).toMatch(/\n/);
    expect(texts).toMatch(/[\u{1F300}-\u{1FAFF}]/u);
    expect(texts).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/u);
    for (const [index, line] of lines.entries()) {
      expect(line.data.id).toMatch(/^[0-9]{19}$/);
      expect(indexOfId(line.data.id)).toBe(index);
    }
  });

  it('ends with an end marker after the last post', () => {
    expect(lines).toHaveLength(61);
    expect(lines[60]?.data.text).toBe('end of the benchmark corpus');
    expect(corpus.messageEnds[60]).toBe(corpus.body.length);
  });
});

describe('chunking', () => {
  for (const chunking of CHUNKINGS) {
    it(`${chunking}: ascending writes of 1 B to 64 KiB that cover the body`, () => {
      const body = buildCorpus(300, 3);
      const ends = chunkEnds(chunking, body.body.length, body.messageEnds, 3);
      let previous = 0;
      for (const end of ends) {
        expect(end - previous).toBeGreaterThanOrEqual(1);
        if (chunking !== 'per-message') expect(end - previous).toBeLessThanOrEqual(MAX_CHUNK);
        previous = end;
      }
      expect(previous).toBe(body.body.length);
      if (chunking === 'per-message')
        expect(Array.from(ends)).toEqual(Array.from(body.messageEnds));
    });
  }
});

describe('gzip', () => {
  it('flushes at every write: each prefix of the writes inflates to that prefix of the body', async () => {
    const ends = chunkEnds('log-uniform', corpus.body.length, corpus.messageEnds, 7);
    const chunks = await gzipChunks(corpus.body, ends);
    expect(chunks).toHaveLength(ends.length);
    for (const k of [1, Math.floor(chunks.length / 2), chunks.length]) {
      const plain = gunzipSync(Buffer.concat(chunks.slice(0, k)), {
        finishFlush: constants.Z_SYNC_FLUSH,
      });
      expect(plain.equals(corpus.body.subarray(0, ends[k - 1]))).toBe(true);
    }
  });
});

describe('tally', () => {
  const posts = lines.slice(0, 60);
  const expectedChecksum = Array.from(corpus.digests).reduce(foldChecksum, 0);

  it('counts every intact post once and matches the corpus checksum', () => {
    const tally = new Tally(corpus.digests, false);
    let completed = 0;
    tally.onComplete = () => completed++;
    for (const post of posts) tally.add(post);
    expect({
      intact: tally.intact,
      corrupted: tally.corrupted,
      duplicates: tally.duplicates,
    }).toEqual({
      intact: 60,
      corrupted: 0,
      duplicates: 0,
    });
    expect(tally.checksum).toBe(expectedChecksum);
    expect(completed).toBe(1);
  });

  it('reports a replaced character, an unknown id and a repeat, and the order', () => {
    const tally = new Tally(corpus.digests, false);
    const mangled = structuredClone(posts[3]!);
    mangled.data.text = `${mangled.data.text.slice(0, -1)}\uFFFD`;
    tally.add(mangled);
    tally.add({ data: { id: '1', text: 'x' } });
    tally.add({ matching_rules: [] });
    tally.add(posts[1]);
    tally.add(posts[1]);
    tally.add(posts[0]);
    expect({
      intact: tally.intact,
      corrupted: tally.corrupted,
      duplicates: tally.duplicates,
    }).toEqual({
      intact: 2,
      corrupted: 3,
      duplicates: 1,
    });
    const inOrder = new Tally(corpus.digests, false);
    inOrder.add(posts[0]);
    inOrder.add(posts[1]);
    expect(tally.checksum).not.toBe(inOrder.checksum);
  });

  it('stops at the end marker without counting it', () => {
    const tally = new Tally(corpus.digests, false);
    let completed = 0;
    tally.onComplete = () => completed++;
    tally.add(posts[0]);
    tally.add(lines[60]);
    expect(completed).toBe(1);
    expect(tally.count).toBe(1);
  });
});

describe('server and a consumer process, over loopback', () => {
  let dir: string;
  let server: ServerHandle;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bench-test-'));
    server = await ServerHandle.start(dir);
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const encoding of ['identity', 'gzip'] as const) {
    it(`raw node:http reads every post intact (${encoding}, log-uniform), and the server sent ${encoding}`, async () => {
      const key = `${encoding}-test`;
      const info = await server.prepare({
        key,
        count: 80,
        seed: 11,
        chunking: 'log-uniform',
        encoding,
      });
      await server.arm(key);
      const result = await runConsumer(
        {
          consumer: 'raw-http',
          baseUrl: server.baseUrl,
          gzip: encoding === 'gzip',
          digestsPath: info.digestsPath,
          latency: false,
          idleMs: 5_000,
        },
        15_000,
      );
      const served = await server.served(key);
      expect(result.error).toBeUndefined();
      expect({ intact: result.intact, lost: result.lost, corrupted: result.corrupted }).toEqual({
        intact: 80,
        lost: 0,
        corrupted: 0,
      });
      expect(result.checksum).toBe(info.expectedChecksum);
      expect(served?.encoding).toBe(encoding);
    });
  }

  it('stamps write and arrival times for a paced run', async () => {
    const info = await server.prepare({
      key: 'paced',
      count: 40,
      seed: 5,
      chunking: 'per-message',
      encoding: 'identity',
    });
    await server.arm('paced', 2_000);
    const result = await runConsumer(
      {
        consumer: 'raw-http',
        baseUrl: server.baseUrl,
        gzip: false,
        digestsPath: info.digestsPath,
        latency: true,
        idleMs: 5_000,
      },
      15_000,
    );
    const served = await server.served('paced');
    const sentAt = served?.sentAt ?? [];
    const receivedAt = result.receivedAt ?? [];
    expect(receivedAt).toHaveLength(40);
    for (let i = 0; i < 40; i++) {
      expect(receivedAt[i]!).toBeGreaterThanOrEqual(sentAt[i]!);
    }
    // Paced at 2,000/s: 40 posts span at least ~19.5 ms of server time.
    expect(sentAt[39]! - sentAt[0]!).toBeGreaterThanOrEqual(19);
  });
});
