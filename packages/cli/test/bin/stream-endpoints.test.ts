import { STREAM_ENDPOINT_NAMES } from '@birdstream/core';
import { readFixtureText } from '@birdstream/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../helpers/bin.js';
import { expectNoToken, expectOneLineError, TOKEN } from '../helpers/env.js';
import { type FakeX, startFakeX } from '../helpers/fake-x.js';

let x: FakeX;
beforeAll(async () => {
  x = await startFakeX({ token: TOKEN });
});
afterEach(() => {
  x.requests.length = 0;
});
afterAll(async () => {
  await x.close();
});

const env = () => ({ X_BEARER_TOKEN: TOKEN, BIRDSTREAM_BASE_URL: x.url });
const streamRequests = () => x.requests.filter((r) => r.path.endsWith('/stream'));

/** Each connection gets `linesFor(partition)` (+ \r\n), then keep-alives until the client leaves. */
function serve(linesFor: (partition: number) => string[]) {
  x.onStream((req, res) => {
    const partition = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('partition'));
    res.writeHead(200, { 'content-type': 'application/json' });
    for (const line of linesFor(partition)) res.write(`${line}\r\n`);
    const timer = setInterval(() => res.write('\r\n'), 50);
    res.on('close', () => clearInterval(timer));
  });
}

/** A compliance event per partition and index: a distinct post and time each. */
function deleteEvent(partition: number, i: number): string {
  return JSON.stringify({
    data: {
      delete: {
        tweet: { id: `${partition}00${i}`, author_id: '2244994945' },
        event_at: `2026-01-0${partition}T00:00:0${i}.000Z`,
      },
    },
  });
}

describe('birdstream stream --endpoint', () => {
  it('--partition 1-4 merges the four compliance partitions: every event once, one connection each, all closed', async () => {
    serve((p) => Array.from({ length: 5 }, (_, i) => deleteEvent(p, i)));
    const result = await runBin(
      ['stream', '--endpoint', 'tweets-compliance', '--partition', '1-4', '--limit', '20'],
      { env: env() },
    );
    expect(result.code).toBe(0);
    const ids = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).data.delete.tweet.id as string);
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
    const requests = streamRequests();
    expect(requests.map((r) => r.path)).toEqual(Array(4).fill('/2/tweets/compliance/stream'));
    expect(requests.map((r) => r.query.get('partition')).sort()).toEqual(['1', '2', '3', '4']);
    await Promise.all(requests.map((r) => r.closed));
    expect(result.stderr).toContain('connected to the tweets compliance stream (partition');
    expectNoToken(result);
  });

  it('a likes stream gets its own field flags on the wire', async () => {
    const like = readFixtureText('oas-examples/likes.jsonl').trim();
    serve(() => [like]);
    const result = await runBin(
      [
        'stream',
        '--endpoint',
        'likes-firehose',
        '--partition',
        '20',
        '--like-fields',
        'created_at,liked_tweet_id',
        '--expansions',
        'liked_tweet_id',
        '--limit',
        '1',
      ],
      { env: env() },
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).data.id).toBe('8ba4f34e6235d905a46bac021d98e923');
    const [request] = streamRequests();
    expect(request?.path).toBe('/2/likes/firehose/stream');
    expect(Object.fromEntries(request?.query ?? [])).toEqual({
      partition: '20',
      'like_with_tweet_author.fields': 'created_at,liked_tweet_id',
      expansions: 'liked_tweet_id',
    });
  });

  it('an unpartitioned event stream needs no --partition', async () => {
    const lines = readFixtureText('oas-examples/labels.jsonl').trim().split('\n');
    serve(() => lines);
    const result = await runBin(['stream', '--endpoint', 'labels', '--limit', '2'], {
      env: env(),
    });
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(2);
    expect(streamRequests()[0]?.path).toBe('/2/tweets/label/stream');
  });

  it.each([
    [['--endpoint', 'firehose'], /firehose stream needs --partition: a number from 1 to 20/],
    [['--endpoint', 'firehose-en', '--partition', '9'], /partition from 1 to 8/],
    [['--endpoint', 'users-compliance', '--partition', '0-4'], /partition from 1 to 4/],
    [['--endpoint', 'users-compliance', '--partition', '3-2'], /the range must go up/],
    [['--endpoint', 'labels', '--partition', '1'], /has no partitions/],
    [
      ['--endpoint', 'tweets-compliance', '--partition', '1', '--tweet-fields', 'lang'],
      /--tweet-fields does not apply to the tweets compliance stream/,
    ],
    [
      ['--endpoint', 'likes-sample10', '--partition', '1', '--expansions', 'author_id'],
      /--expansions/,
    ],
    [['--endpoint', 'activity', '--flatten'], /--flatten applies to post streams only/],
    [['--endpoint', 'nope'], /--endpoint must be one of filter, sample, .*activity/],
    [['--endpoint', 'firehose', '--sample'], /--sample means --endpoint sample/],
  ])('%j is a usage error before any request', async (args, message) => {
    const result = await runBin(['stream', ...args], { env: env() });
    expect(result.code).toBe(2);
    expectOneLineError(result.stderr, message);
    expect(streamRequests()).toEqual([]);
  });

  it('--help lists every stream of the endpoint table with its partition range', async () => {
    const result = await runBin(['stream', '--help']);
    expect(result.code).toBe(0);
    for (const name of STREAM_ENDPOINT_NAMES) expect(result.stdout).toContain(name);
    expect(result.stdout).toContain('firehose (1-20)');
    expect(result.stdout).toContain('firehose-en (1-8)');
    expect(result.stdout).toContain('tweets-compliance (1-4)');
  });
});
