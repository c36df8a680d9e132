import { inspect } from 'node:util';
import { driftOf, type EndpointStream, StreamClient } from '@birdstream/core';
import { controlledBody, ManualClock, streamLine } from '@birdstream/test-utils';
import fc from 'fast-check';
import { HttpResponse, http } from 'msw';
import { describe, expect, test } from 'vitest';
import { ofType } from '../helpers/events.js';
import { post, postLine } from '../helpers/messages.js';
import { reachableStrings } from '../helpers/secrets.js';
import { run } from '../helpers/stream-runner.js';
import { FILTER, useStreamServer } from '../helpers/stream-server.js';
import { until } from '../helpers/until.js';

const server = useStreamServer();
const TOKEN = 'AAAAAAAAAAAAAAAAAAAAADriftTokenSecret1234567890';

/** One connection whose body the test writes; the default client (validate 'tolerant'). */
function open(options: Record<string, unknown> = {}) {
  const body = controlledBody();
  server.use(
    http.get(FILTER, () => new HttpResponse(body.body)),
    { once: true } as never,
  );
  const clock = new ManualClock();
  const client = new StreamClient({ bearerToken: TOKEN, clock });
  const stream = client.filter({}, options) as unknown as EndpointStream<ReturnType<typeof post>>;
  return { body, clock, stream, consumer: run(stream) };
}

/** A post whose like_count comes as a numeric string (drift the reader coerces). */
const drifted = (id: string) => {
  const message = post(id) as ReturnType<typeof post> & { data: Record<string, unknown> };
  message.data.public_metrics = {
    retweet_count: 0,
    reply_count: 0,
    like_count: '7',
    quote_count: 0,
  };
  return message;
};

describe('schema-drift: in aggregate, on the injected clock', () => {
  test('at most one event per path per interval, with count, sample path, first and last seen', async () => {
    const { body, clock, stream, consumer } = open({ schemaDrift: { intervalMs: 10_000 } });
    const t0 = clock.now();
    for (let i = 1; i <= 5; i++) body.message(drifted(String(i)));
    await until(() => consumer.posts.length === 5, 'five drifted posts');
    expect(
      consumer.posts.map(
        (p) => (p.data as { public_metrics?: { like_count: unknown } }).public_metrics?.like_count,
      ),
    ).toEqual([7, 7, 7, 7, 7]);
    // Within the interval: figures in stats, no event yet (keep-alives tick the meter).
    body.keepAlive();
    await until(() => stream.stats.keepAlives === 1, 'a keep-alive');
    expect(ofType(consumer.events, 'schema-drift')).toEqual([]);
    expect(stream.stats.drift).toEqual([
      {
        path: 'data.public_metrics.like_count',
        kind: 'coerced',
        detail: 'a number sent as a string; read as the number',
        count: 5,
        sinceLastReport: 5,
        samplePath: 'data.public_metrics.like_count',
        firstSeenAt: t0,
        lastSeenAt: t0,
      },
    ]);
    // The interval passes: the next message or keep-alive reports it, once.
    await clock.advance(10_000);
    body.keepAlive();
    body.keepAlive();
    await until(() => stream.stats.keepAlives === 3, 'two keep-alives');
    const first = ofType(consumer.events, 'schema-drift');
    expect(first.map((e) => [e.drift.count, e.drift.sinceLastReport])).toEqual([[5, 5]]);
    // More of it: counted, reported at the end of the next interval (or when the stream ends).
    body.message(drifted('6'));
    body.message(post('7'));
    await until(() => consumer.posts.length === 7, 'two more posts');
    expect(ofType(consumer.events, 'schema-drift')).toHaveLength(1);
    await stream.close();
    await consumer.done;
    const all = ofType(consumer.events, 'schema-drift').map((e) => e.drift);
    expect(all.map((d) => [d.count, d.sinceLastReport, d.lastSeenAt])).toEqual([
      [5, 5, t0],
      [6, 1, t0 + 10_000],
    ]);
    expect(stream.stats.drift?.[0]?.count).toBe(6);
    // Every post delivered, none reported one by one.
    expect(consumer.posts).toHaveLength(7);
    expect(ofType(consumer.events, 'payload-invalid')).toEqual([]);
  });

  test("validate: 'strict' keeps today's behaviour: one payload-invalid per drifted message", async () => {
    const { body, stream, consumer } = open({ validate: 'strict' });
    body.message(drifted('1'));
    body.message(post('2'));
    await until(() => consumer.posts.length === 1, 'the conforming post');
    expect(consumer.posts.map((p) => p.data.id)).toEqual(['2']);
    expect(ofType(consumer.events, 'payload-invalid')).toHaveLength(1);
    await stream.close();
    await consumer.done;
    expect(ofType(consumer.events, 'schema-drift')).toEqual([]);
  });

  test('a bad schemaDrift option is a ConfigError naming it', () => {
    const client = new StreamClient({ bearerToken: TOKEN, clock: new ManualClock() });
    expect(() => client.filter({}, { schemaDrift: { intervalMs: 0 } })).toThrow(
      /schemaDrift.intervalMs must be a positive number/,
    );
    expect(() => client.filter({}, { validate: 'lenient' as never })).toThrow(
      /validate must be 'tolerant', 'strict' or 'off'/,
    );
  });
});

describe('unrecognized messages reach the user, scrubbed of secrets', () => {
  test('the message as sent, with the token scrubbed, in set-aside values too', async () => {
    const { body, stream, consumer } = open();
    const echoed = `Bearer ${TOKEN}`;
    body.message({ created_at: '2026-12-06T18:12:24Z', id: '1', note: echoed });
    body.message({ data: { id: '2', text: 'x', lang: { deep: [[[[[[[[[[[echoed]]]]]]]]]]] } } });
    body.message(post('3'));
    await until(() => consumer.posts.length === 2, 'the two posts');
    const [unrecognized] = ofType(consumer.events, 'unrecognized');
    expect(unrecognized).toMatchObject({ reason: 'unknown-type', message: { id: '1' } });
    expect(stream.stats.unrecognized).toBe(1);
    const setAside = driftOf(consumer.posts[0]);
    expect(setAside?.[0]).toMatchObject({ path: ['data', 'lang'], kind: 'set-aside' });
    for (const s of [
      ...reachableStrings(unrecognized),
      ...reachableStrings(setAside),
      inspect(setAside, { depth: 30 }),
    ]) {
      expect(s).not.toContain(TOKEN);
    }
    expect(JSON.stringify(setAside)).toContain('[redacted]');
    await stream.close();
  });
});

describe('bad input: a clear event each, the stream goes on', () => {
  test('fuzzed lines between posts: every post delivered, every line accounted for once', async () => {
    const lines = fc.sample(
      fc.oneof(
        fc.string({ maxLength: 40 }).filter((s) => !/[\r\n]/.test(s)),
        fc.json().filter((s) => !/[\r\n]/.test(s)),
        fc.jsonValue().map((data) => JSON.stringify({ data })),
      ),
      { numRuns: 60, seed: 18 },
    );
    const { body, stream, consumer } = open();
    for (const [i, line] of lines.entries()) {
      body.push(`${line}\r\n`);
      body.push(postLine(`${1000 + i}`));
    }
    body.push(postLine('9999'));
    await until(
      () => consumer.posts.some((p) => p.data.id === '9999'),
      'the post after the fuzzed lines',
    );
    const ids = consumer.posts.map((p) => p.data.id);
    for (let i = 0; i < lines.length; i++) expect(ids).toContain(`${1000 + i}`);
    const stats = stream.stats;
    // Each line: a keep-alive (blank), a delivery, a payload-invalid or an unrecognized event.
    expect(stats.delivered + stats.invalid + stats.unrecognized + stats.keepAlives).toBe(
      lines.length * 2 + 1,
    );
    expect(ofType(consumer.events, 'payload-invalid')).toHaveLength(stats.invalid);
    expect(ofType(consumer.events, 'unrecognized')).toHaveLength(stats.unrecognized);
    expect(consumer.error).toBeUndefined();
    await stream.close();
  });

  test('a 10 MB message is read; past maxMessageBytes it is skipped unbuffered; the stream goes on', async () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    const { body, stream, consumer } = open();
    body.message({ ...drifted('1'), data: { ...drifted('1').data, brand_new: big } });
    body.push(`${big}\r\n`);
    body.message(post('2'));
    await until(() => consumer.posts.length === 2, 'the posts around the 10 MB lines');
    expect((consumer.posts[0]!.data as { brand_new?: string }).brand_new).toHaveLength(big.length);
    const [invalid] = ofType(consumer.events, 'payload-invalid');
    expect(invalid?.error.kind).toBe('invalid-json');
    expect(invalid?.error.message).not.toContain('xxxx');
    await stream.close();

    const small = open({ maxMessageBytes: 1024 * 1024 });
    small.body.message({ ...post('3'), padding: big });
    small.body.message(post('4'));
    await until(() => small.consumer.posts.length === 1, 'the post after the oversize one');
    const [oversize] = ofType(small.consumer.events, 'payload-invalid');
    expect(oversize?.error.kind).toBe('oversize');
    expect(oversize?.error.raw).toBeUndefined(); // never buffered: memory stays bounded
    expect(small.consumer.posts.map((p) => p.data.id)).toEqual(['4']);
    await small.stream.close();
  });

  test('deeply nested JSON in a post: delivered, the deep field set aside', async () => {
    const deep = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
    const { body, stream, consumer } = open();
    body.push(`{"data":{"id":"1","text":"x","entities":${deep}}}\r\n`);
    body.push(streamLine(post('2')));
    await until(() => consumer.posts.length === 2, 'both posts');
    expect(driftOf(consumer.posts[0])?.map((d) => d.path)).toEqual([['data', 'entities']]);
    await stream.close();
    await consumer.done;
    expect(stream.stats.drift?.map((d) => [d.path, d.count])).toEqual([['data.entities', 1]]);
  });
});
