import { readFileSync } from 'node:fs';
import { codeLines, compiledVerbatim, tsBlocks } from '@birdstream/test-utils';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RedisStreamSink, StreamConsumer } from '../src/index.js';
import { connect } from './helpers/redis-client.js';
import { type RedisServer, startRedisServer } from './helpers/redis-server.js';

/**
 * The README's TypeScript examples are compiled in test/readme.test-d.ts (a consumer that
 * passed the whole message where the post belongs fails there); this keeps that file honest:
 * every line of every ```ts block of README.md (imports aside) stands there, in order.
 */
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const compiled = readFileSync(new URL('./readme.test-d.ts', import.meta.url), 'utf8');

const examples = tsBlocks(readme);

describe('README.md examples', () => {
  test('there are examples to check', () => {
    expect(examples.length).toBeGreaterThanOrEqual(2);
  });

  test.each(examples.map((code) => [codeLines(code)[0], code]))(
    'the example starting "%s" is in readme.test-d.ts verbatim',
    (_first, code) => {
      expect(compiledVerbatim(compiled, code)).toBe(true);
    },
  );
});

describe("the README's consumer, run against Redis", () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server.dispose();
  });

  test('message.data is the stream message; message.data.data the post it indexes', async () => {
    const redis = connect(server);
    const sink = new RedisStreamSink<{ data: { id: string; text: string } }>({
      redis,
      endpoint: 'firehose',
    });
    await sink.write({ data: { id: '1', text: 'hello' } }, { partition: 1 });
    await sink.flush();
    const consumer = new StreamConsumer<{ data: { id: string; text: string } }>({
      redis,
      endpoint: 'firehose',
      group: 'indexer',
    });
    const indexed: { id: string; text: string }[] = [];
    const index = async (post: { id: string; text: string }) => {
      indexed.push(post);
    };
    for await (const message of consumer) {
      // message.data is the stream message as X sent it; the post is its data.
      const post = message.data.data;
      await index(post);
      await message.ack();
      break;
    }
    expect(indexed).toEqual([{ id: '1', text: 'hello' }]);
    await sink.close();
    redis.disconnect();
  });
});
