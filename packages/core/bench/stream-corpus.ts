import { readFixtureText } from '@birdstream/test-utils';

/** Real recorded filtered-stream messages of 2.4–3.7 KB (compact JSON): ~3 KB on average. */
const SOURCES = [
  'stream/twarc-csv/msg_02_tweet_1377650277642338305.json',
  'stream/twarc-csv/msg_03_tweet_1377650387579248643.json',
  'stream/twarc-csv/msg_05_tweet_1377650459033280516.json',
  'stream/twarc-csv/msg_06_tweet_1377650500687044618.json',
  'stream/twarc-csv/msg_07_tweet_1377650529766154240.json',
];

const TEXTS = [
  ' café naïve',
  ' 日本語のテキスト',
  ' 🐦🔥 emoji',
  ' plain ascii text',
  ' Ελληνικά ✓',
];

/** A stream body: `count` varied ~3 KB messages (and a keep-alive every 50), as X frames them. */
export interface StreamCorpus {
  body: Uint8Array;
  /** The body cut into network-sized chunks (Buffers, as node:http delivers them). */
  chunks: Buffer[];
  messages: number;
  bytes: number;
}

/**
 * Builds the corpus. `numericRuleIds` writes `matching_rules[].id` as a JSON
 * number, as X did in 2021 (this exercises the lossless-id slow path).
 */
export function buildCorpus(options: {
  count: number;
  chunkSize: number;
  numericRuleIds: boolean;
}): StreamCorpus {
  const templates = SOURCES.map((file) => {
    // Quote the 19-digit rule id before JSON.parse so it survives, like the SDK does.
    const text = readFixtureText(file).replace(/"id": (\d{16,})/g, '"id": "$1"');
    const message = JSON.parse(text) as Record<string, unknown>;
    delete message.__twarc;
    return message as {
      data: { id: string; text: string; author_id?: string };
      matching_rules: { id: string; tag: string | null }[];
    };
  });
  const lines: string[] = [];
  for (let i = 0; i < options.count; i++) {
    const template = templates[i % templates.length]!;
    const id = (1377650090978992134n + BigInt(i)).toString();
    const message = {
      ...template,
      data: { ...template.data, id, text: template.data.text + TEXTS[i % TEXTS.length] },
      matching_rules: [
        { id: (1377650081780703234n + BigInt(i % 7)).toString(), tag: `rule ${i % 7}` },
      ],
    };
    let line = JSON.stringify(message);
    if (options.numericRuleIds)
      line = line.replace(/"matching_rules":\[\{"id":"(\d+)"/, '"matching_rules":[{"id":$1');
    lines.push(line);
    if (i % 50 === 49) lines.push(''); // keep-alive
  }
  const body = new TextEncoder().encode(lines.map((line) => `${line}\r\n`).join(''));
  const chunks: Buffer[] = [];
  for (let i = 0; i < body.length; i += options.chunkSize) {
    chunks.push(Buffer.from(body.subarray(i, i + options.chunkSize)));
  }
  return { body, chunks, messages: options.count, bytes: body.length };
}
