/**
 * The hot path: bytes from the network → messages. Targets (issue #2), relative
 * to a bare Buffer-concat + indexOf("\r\n") + JSON.parse loop (a):
 *   (b) LineDecoder + parser, validate 'off'    — within 10 % of (a)
 *   (c) LineDecoder + parser, validate 'strict' — at least 50 % of (a)
 * Each iteration decodes 1,000 realistic ~3 KB messages (real recordings,
 * varied, with multibyte text) fed as 16 KiB chunks: messages/s = 1,000 × hz.
 *
 * tinybench measures wall time one variant after the other, which a busy
 * machine skews; each group therefore first prints an interleaved CPU-time
 * comparison (see cpu-compare.ts). Numbers: decisions/0003-decoding-and-ids.md.
 */
import { bench, describe } from 'vitest';
import { createMessageParser, LineDecoder } from '../src/decode/index.js';
import { compareCpu } from './cpu-compare.js';
import { buildCorpus, type StreamCorpus } from './stream-corpus.js';

const CHUNK = 16 * 1024;
const COUNT = 1000;
const OPTIONS = { time: 2000, warmupTime: 500 };
const CRLF = Buffer.from('\r\n');

/** (a) What a bare `node:http` consumer does: concat, indexOf("\r\n"), toString, JSON.parse. */
function baseline(corpus: StreamCorpus): number {
  let buffer: Buffer = Buffer.alloc(0);
  let parsed = 0;
  for (const chunk of corpus.chunks) {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    let start = 0;
    let end = buffer.indexOf(CRLF, start);
    while (end !== -1) {
      if (end > start) {
        JSON.parse(buffer.toString('utf8', start, end));
        parsed++;
      }
      start = end + 2;
      end = buffer.indexOf(CRLF, start);
    }
    buffer = buffer.subarray(start);
  }
  return parsed;
}

const parsers = {
  off: createMessageParser({ validate: 'off' }),
  strict: createMessageParser({ validate: 'strict' }),
};

/** (b) and (c): what the stream client does with each chunk. */
function birdstream(corpus: StreamCorpus, validate: 'off' | 'strict'): number {
  const decoder = new LineDecoder();
  const parse = parsers[validate];
  let parsed = 0;
  for (const chunk of corpus.chunks) {
    for (const frame of decoder.push(chunk)) {
      if (frame.type === 'message' && parse(frame).type === 'response') parsed++;
    }
  }
  return parsed;
}

const VARIANTS = {
  '(a) baseline: Buffer concat + split + JSON.parse': baseline,
  "(b) LineDecoder + parser, validate 'off'": (corpus: StreamCorpus) => birdstream(corpus, 'off'),
  "(c) LineDecoder + parser, validate 'strict'": (corpus: StreamCorpus) =>
    birdstream(corpus, 'strict'),
};

function group(title: string, numericRuleIds: boolean): void {
  describe(title, () => {
    const corpus = buildCorpus({ count: COUNT, chunkSize: CHUNK, numericRuleIds });
    for (const [name, run] of Object.entries(VARIANTS)) {
      const parsed = run(corpus);
      if (parsed !== corpus.messages)
        throw new Error(`${name}: parsed ${parsed} of ${corpus.messages}`);
    }
    const cpu = compareCpu(
      Object.fromEntries(Object.entries(VARIANTS).map(([name, run]) => [name, () => run(corpus)])),
    );
    console.log(
      `\n${title}\n${(corpus.bytes / 1e6).toFixed(1)} MB, ${corpus.messages} messages; interleaved CPU time (median of 30):\n${cpu
        .map(
          (row) =>
            `  ${row.name.padEnd(50)} ${row.medianMs.toFixed(1).padStart(6)} ms  ${Math.round(
              (COUNT / row.medianMs) * 1000,
            )
              .toString()
              .padStart(6)} msg/s  ${(row.relative * 100).toFixed(0).padStart(4)} % of (a)`,
        )
        .join('\n')}`,
    );
    for (const [name, run] of Object.entries(VARIANTS))
      bench(name, () => void run(corpus), OPTIONS);
  });
}

group('1,000 × ~3 KB messages in 16 KiB chunks, rule ids as strings (as X sends them now)', false);
group('same, matching_rules[].id as a 19-digit JSON number (2021 recordings: lossless path)', true);
