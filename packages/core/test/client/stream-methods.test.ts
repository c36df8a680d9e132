import {
  ConfigError,
  complianceEvent,
  STREAM_ENDPOINT_TABLE,
  StreamClient,
  type StreamEndpointName,
} from '@birdstream/core';
import {
  type ControlledBody,
  controlledBody,
  ManualClock,
  readFixtureText,
  streamLine,
} from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { describe, expect, test } from 'vitest';
import { ofType } from '../helpers/events.js';
import { followReconnects, run } from '../helpers/stream-runner.js';
import { useStreamServer } from '../helpers/stream-server.js';
import { until } from '../helpers/until.js';

const server = useStreamServer();
const BASE = 'https://api.x.com';

/** Serves `endpoint` with controlled bodies, recording each request URL. */
function serve(endpoint: StreamEndpointName) {
  const requests: URL[] = [];
  const bodies: ControlledBody[] = [];
  server.use(
    http.get(`${BASE}${STREAM_ENDPOINT_TABLE[endpoint].path}`, ({ request }) => {
      requests.push(new URL(request.url));
      const body = controlledBody();
      bodies.push(body);
      return new HttpResponse(body.body);
    }),
  );
  return { requests, bodies };
}

const lines = (file: string) =>
  readFixtureText(file)
    .split('\n')
    .filter((line) => line !== '');

describe('each typed method opens its row’s stream and yields its messages', () => {
  const client = () => new StreamClient({ bearerToken: 't', clock: new ManualClock() });
  const cases: [StreamEndpointName, (c: StreamClient) => AsyncIterable<unknown>, string, string][] =
    [
      [
        'firehose-en',
        (c) => c.firehoseLang('en', { partition: 8 }),
        'partition=8',
        'stream/twarc-csv/msg_00_tweet_1377650090978992134.json',
      ],
      [
        'firehose-ko',
        (c) => c.firehoseLang('ko', { partition: 2 }),
        'partition=2',
        'stream/twarc-csv/msg_00_tweet_1377650090978992134.json',
      ],
      [
        'likes-firehose',
        (c) => c.likesFirehose({ partition: 20, expansions: ['liked_tweet_id'] }),
        'partition=20&expansions=liked_tweet_id',
        'oas-examples/likes.jsonl',
      ],
      [
        'likes-sample10',
        (c) => c.likesSample10({ partition: 1 }),
        'partition=1',
        'oas-examples/likes.jsonl',
      ],
      [
        'tweets-compliance',
        (c) => c.tweetsCompliance({ partition: 4 }),
        'partition=4',
        'oas-examples/tweets-compliance.jsonl',
      ],
      [
        'users-compliance',
        (c) => c.usersCompliance({ partition: 1 }),
        'partition=1',
        'oas-examples/users-compliance.jsonl',
      ],
      ['likes-compliance', (c) => c.likesCompliance(), '', 'oas-examples/likes-compliance.jsonl'],
      ['labels', (c) => c.labels(), '', 'oas-examples/labels.jsonl'],
      ['activity', (c) => c.activity(), '', 'oas-examples/activity.jsonl'],
    ];

  test.each(cases)('%s', async (endpoint, open, query, fixture) => {
    const { requests, bodies } = serve(endpoint);
    const messages = lines(fixture);
    const consumer = run(open(client()) as never);
    await until(() => bodies.length === 1, 'the connection');
    for (const line of messages) bodies[0]!.push(streamLine(line));
    await until(() => consumer.posts.length === messages.length, 'every message');
    expect(requests[0]!.pathname).toBe(STREAM_ENDPOINT_TABLE[endpoint].path);
    expect(requests[0]!.search.replace(/%2C/g, ',')).toBe(query ? `?${query}` : '');
    // Strict validation with the row's schema: nothing was reported invalid.
    expect(ofType(consumer.events, 'payload-invalid')).toEqual([]);
    // Each message arrived once, in order (compared by the row's identity: the
    // recorded posts hold 19-digit numbers that JSON.parse would round).
    const key = STREAM_ENDPOINT_TABLE[endpoint].dedupeKey;
    expect(consumer.posts.map(key)).toEqual(messages.map((line) => key(JSON.parse(line))));
    expect(consumer.posts.every((message) => key(message) !== undefined)).toBe(true);
  });

  test('an unknown language is a ConfigError', () => {
    expect(() => client().firehoseLang('de' as 'en', { partition: 1 })).toThrow(ConfigError);
  });

  test('a message of another stream’s shape is reported invalid, the next one still arrives', async () => {
    const { bodies } = serve('labels');
    const consumer = run(client().labels());
    await until(() => bodies.length === 1, 'the connection');
    bodies[0]!.push(streamLine({ data: { delete: { tweet: { id: '1' }, event_at: 'T' } } }));
    for (const line of lines('oas-examples/labels.jsonl')) bodies[0]!.push(streamLine(line));
    await until(() => consumer.posts.length === 2, 'the two label events');
    expect(ofType(consumer.events, 'payload-invalid')).toHaveLength(1);
  });
});

describe('partitions are checked before any request', () => {
  const client = new StreamClient({ bearerToken: 't' });

  test.each([
    ['firehose-en', () => client.firehoseLang('en', { partition: 9 as 8 }), '1 to 8'],
    ['firehose-ja', () => client.firehoseLang('ja', { partition: 0 as 1 }), '1 to 2'],
    ['likes-firehose', () => client.likesFirehose({ partition: 21 as 20 }), '1 to 20'],
    ['likes-sample10', () => client.likesSample10({} as { partition: 1 }), '1 to 2'],
    ['tweets-compliance', () => client.tweetsCompliance({ partition: 5 as 4 }), '1 to 4'],
    ['users-compliance', () => client.usersCompliance({ partition: 1.5 as 1 }), '1 to 4'],
  ])('%s: a ConfigError names the valid range', (_name, open, range) => {
    // msw answers nothing here (onUnhandledRequest: 'error'): a request would fail the test.
    expect(open).toThrow(ConfigError);
    expect(open).toThrow(`needs a partition from ${range}`);
  });
});

describe('compliance dedupe uses the event identity', () => {
  test('a replayed delete is dropped; a drop of the same post is delivered', async () => {
    const clock = new ManualClock();
    const { bodies, requests } = serve('tweets-compliance');
    const [remove, withheld, drop] = lines('oas-examples/tweets-compliance.jsonl');
    const stream = new StreamClient({ bearerToken: 't', clock }).tweetsCompliance(
      { partition: 1 },
      { backfill: 1, healthyAfterMs: 1 },
    );
    const consumer = run(stream);
    await until(() => bodies.length === 1, 'the first connection');
    bodies[0]!.push(streamLine(remove!));
    bodies[0]!.push(streamLine(withheld!));
    await until(() => consumer.posts.length === 2, 'two events');
    await clock.advance(5);
    bodies[0]!.end();
    await followReconnects(clock, consumer.events, 1);
    await until(() => bodies.length === 2, 'the reconnect');
    expect(requests[1]!.searchParams.get('backfill_minutes')).toBe('1');
    // The backfill replays both events, then a new event about the same post arrives.
    bodies[1]!.push(streamLine(remove!));
    bodies[1]!.push(streamLine(withheld!));
    bodies[1]!.push(streamLine(drop!));
    await until(() => consumer.posts.length === 3, 'the drop');
    expect(consumer.posts.map((m) => complianceEvent((m as { data: never }).data)?.kind)).toEqual([
      'delete',
      'withheld',
      'drop',
    ]);
    expect(ofType(consumer.events, 'duplicate').map((e) => e.id)).toEqual([
      'delete:1346889436626259968:2021-07-06T18:40:40.000Z',
      'withheld:1346889436626259968:2021-07-06T18:40:40.000Z',
    ]);
    expect(stream.stats.duplicates).toBe(2);
  });
});
