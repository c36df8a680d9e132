import { describe, expect, test } from 'vitest';
import {
  acceptedParams,
  FIREHOSE_LANGUAGES,
  STREAM_ENDPOINT_NAMES,
  STREAM_ENDPOINT_TABLE,
  type StreamEndpointInfo,
} from '../../src/endpoints/endpoint-table.js';
import { buildStreamUrl, checkEndpoint } from '../../src/endpoints/endpoint-url.js';
import { ConfigError } from '../../src/errors/config-error.js';
import { fixtureDocuments } from '../schemas/fixture-walk.js';

const rows: StreamEndpointInfo[] = Object.values(STREAM_ENDPOINT_TABLE);

describe('the endpoint table', () => {
  test('lists every X v2 stream under the names the CLI and the emulator use', () => {
    expect(STREAM_ENDPOINT_NAMES).toEqual([
      'filter',
      'sample',
      'sample10',
      'firehose',
      'firehose-en',
      'firehose-ja',
      'firehose-ko',
      'firehose-pt',
      'likes-firehose',
      'likes-sample10',
      'tweets-compliance',
      'users-compliance',
      'likes-compliance',
      'labels',
      'activity',
    ]);
    for (const [name, row] of Object.entries(STREAM_ENDPOINT_TABLE)) expect(row.name).toBe(name);
  });

  test('each path, partition range and Connections API id is X’s (OpenAPI 2.159)', () => {
    const facts = rows.map((row) => [row.name, row.path, row.partitions?.max, row.connectionId]);
    expect(facts).toEqual([
      ['filter', '/2/tweets/search/stream', undefined, 'filtered_stream'],
      ['sample', '/2/tweets/sample/stream', undefined, 'sample_stream'],
      ['sample10', '/2/tweets/sample10/stream', 2, 'sample10_stream'],
      ['firehose', '/2/tweets/firehose/stream', 20, 'firehose_stream'],
      ['firehose-en', '/2/tweets/firehose/stream/lang/en', 8, 'firehose_stream_lang_en'],
      ['firehose-ja', '/2/tweets/firehose/stream/lang/ja', 2, 'firehose_stream_lang_ja'],
      ['firehose-ko', '/2/tweets/firehose/stream/lang/ko', 2, 'firehose_stream_lang_ko'],
      ['firehose-pt', '/2/tweets/firehose/stream/lang/pt', 2, 'firehose_stream_lang_pt'],
      ['likes-firehose', '/2/likes/firehose/stream', 20, 'likes_firehose_stream'],
      ['likes-sample10', '/2/likes/sample10/stream', 2, 'likes_sample10_stream'],
      ['tweets-compliance', '/2/tweets/compliance/stream', 4, 'tweets_compliance_stream'],
      ['users-compliance', '/2/users/compliance/stream', 4, 'users_compliance_stream'],
      ['likes-compliance', '/2/likes/compliance/stream', undefined, 'likes_compliance_stream'],
      ['labels', '/2/tweets/label/stream', undefined, 'tweet_label_stream'],
      ['activity', '/2/activity/stream', undefined, undefined],
    ]);
    // 14 Connections API ids, all distinct.
    const ids = rows.flatMap((row) => (row.connectionId ? [row.connectionId] : []));
    expect(new Set(ids).size).toBe(14);
  });

  test('compliance, label and activity streams take no field parameters; likes take their own', () => {
    for (const name of ['tweets-compliance', 'users-compliance', 'likes-compliance', 'labels']) {
      expect(acceptedParams(STREAM_ENDPOINT_TABLE[name as 'labels'])).toEqual([
        'backfill_minutes',
        'start_time',
        'end_time',
      ]);
    }
    const likes = STREAM_ENDPOINT_TABLE['likes-firehose'];
    expect(acceptedParams(likes)).toContain('like_with_tweet_author.fields');
    expect(acceptedParams(likes)).not.toContain('media.fields');
    // Likes streams expand the liked post and its author, not the post expansions.
    expect(likes.fields.expansions).toEqual(['liked_tweet_author_id', 'liked_tweet_id']);
    expect(STREAM_ENDPOINT_TABLE.filter.fields.expansions).toContain('referenced_tweets.id');
    expect(STREAM_ENDPOINT_TABLE.activity.selection).toBe('subscriptions');
    expect(STREAM_ENDPOINT_TABLE.filter.selection).toBe('rules');
  });

  test('the parameters follow the flags: sample has backfill and no recovery window', () => {
    expect(acceptedParams(STREAM_ENDPOINT_TABLE.sample)).toEqual([
      'expansions',
      'tweet.fields',
      'user.fields',
      'media.fields',
      'place.fields',
      'poll.fields',
      'backfill_minutes',
    ]);
    expect(acceptedParams(STREAM_ENDPOINT_TABLE.filter)).toContain('start_time');
  });

  test('the language firehoses are the rows with a language', () => {
    expect(FIREHOSE_LANGUAGES).toEqual(['en', 'ja', 'ko', 'pt']);
    for (const lang of FIREHOSE_LANGUAGES) {
      expect(STREAM_ENDPOINT_TABLE[`firehose-${lang}`].path).toBe(
        `/2/tweets/firehose/stream/lang/${lang}`,
      );
    }
  });
});

describe('partitions are checked before any request', () => {
  const partitioned = rows.filter((row) => row.partitions !== undefined);

  test('the partitioned rows', () => {
    expect(partitioned.map((row) => `${row.name}:${row.partitions?.max}`)).toEqual([
      'sample10:2',
      'firehose:20',
      'firehose-en:8',
      'firehose-ja:2',
      'firehose-ko:2',
      'firehose-pt:2',
      'likes-firehose:20',
      'likes-sample10:2',
      'tweets-compliance:4',
      'users-compliance:4',
    ]);
  });

  test.each(partitioned.map((row) => [row.name, row.partitions?.max ?? 0] as const))(
    '%s accepts 1 to %i and names that range otherwise',
    (name, max) => {
      expect(() => checkEndpoint(name, { partition: 1 })).not.toThrow();
      expect(() => checkEndpoint(name, { partition: max })).not.toThrow();
      for (const bad of [undefined, 0, max + 1, 1.5, '1']) {
        const call = () => checkEndpoint(name, bad === undefined ? {} : { partition: bad });
        expect(call).toThrow(ConfigError);
        expect(call).toThrow(`needs a partition from 1 to ${max}`);
      }
    },
  );

  test('an unpartitioned stream needs none', () => {
    for (const name of ['likes-compliance', 'labels', 'activity']) {
      expect(() => checkEndpoint(name, {})).not.toThrow();
    }
  });

  test('the URL carries the row’s path and the partition', () => {
    expect(
      buildStreamUrl('https://api.x.com', 'firehose-en', { partition: 8, backfill_minutes: 2 }),
    ).toBe('https://api.x.com/2/tweets/firehose/stream/lang/en?partition=8&backfill_minutes=2');
    expect(
      buildStreamUrl('https://api.x.com', 'likes-sample10', {
        partition: 2,
        'like_with_tweet_author.fields': ['id', 'liked_tweet_id'],
        expansions: ['liked_tweet_id'],
      }),
    ).toBe(
      'https://api.x.com/2/likes/sample10/stream?partition=2&like_with_tweet_author.fields=id,liked_tweet_id&expansions=liked_tweet_id',
    );
  });
});

describe('dedupe keys come from the row', () => {
  const keysOf = (file: string, name: keyof typeof STREAM_ENDPOINT_TABLE) =>
    fixtureDocuments(file).map((message) => STREAM_ENDPOINT_TABLE[name].dedupeKey(message));

  test('compliance events that share a post id (and even event_at) get distinct keys', () => {
    const keys = keysOf('oas-examples/tweets-compliance.jsonl', 'tweets-compliance');
    expect(keys).toEqual([
      'delete:1346889436626259968:2021-07-06T18:40:40.000Z',
      'withheld:1346889436626259968:2021-07-06T18:40:40.000Z',
      'drop:1346889436626259968:2021-07-06T18:40:40.000Z',
      'undrop:1346889436626259968:2021-07-06T18:40:40.000Z',
      'tweet_edit:1346889436626259968:2021-07-06T18:40:40.000Z',
    ]);
    const users = keysOf('oas-examples/users-compliance.jsonl', 'users-compliance');
    expect(new Set(users).size).toBe(9);
  });

  test('the same kind on the same post at another time is another event', () => {
    const key = STREAM_ENDPOINT_TABLE['tweets-compliance'].dedupeKey;
    const at = (event_at: string) => ({
      data: { withheld: { tweet: { id: '7' }, event_at, withheld_in_countries: ['DE'] } },
    });
    expect(key(at('2024-01-01T00:00:00.000Z'))).not.toBe(key(at('2024-01-02T00:00:00.000Z')));
    expect(key(at('2024-01-01T00:00:00.000Z'))).toBe(key(at('2024-01-01T00:00:00.000Z')));
  });

  test('an unlike is identified by post, account and time', () => {
    const key = STREAM_ENDPOINT_TABLE['likes-compliance'].dedupeKey;
    const unlike = (user_id: string) => ({
      data: { delete: { favorite: { id: '5', user_id }, event_at: 'T' } },
    });
    expect(key(unlike('1'))).toBe('favorite_delete:5:1:T');
    expect(key(unlike('1'))).not.toBe(key(unlike('2')));
  });

  test('likes by the like id, not the liked post', () => {
    const key = STREAM_ENDPOINT_TABLE['likes-firehose'].dedupeKey;
    expect(keysOf('oas-examples/likes.jsonl', 'likes-firehose')).toEqual([
      '8ba4f34e6235d905a46bac021d98e923',
    ]);
    expect(key({ data: { id: 'a', liked_tweet_id: '5' } })).not.toBe(
      key({ data: { id: 'b', liked_tweet_id: '5' } }),
    );
  });

  test('labels by kind, post, type, application and time; activity by event_uuid', () => {
    const labels = keysOf('oas-examples/labels.jsonl', 'labels');
    expect(new Set(labels).size).toBe(2);
    const key = STREAM_ENDPOINT_TABLE.labels.dedupeKey;
    const notice = (application: string) => ({
      data: {
        public_tweet_notice: {
          tweet: { id: '1' },
          event_type: 'misleading',
          event_at: 'T',
          application,
        },
      },
    });
    expect(key(notice('apply'))).not.toBe(key(notice('remove')));
    expect(keysOf('oas-examples/activity.jsonl', 'activity')).toEqual([
      '1146654567674912769',
      '1146654567674912770',
      '1146654567674912771',
    ]);
  });

  test('an error-only or malformed message has no key', () => {
    for (const row of rows) {
      expect(row.dedupeKey({ errors: [{ title: 'x', type: 'y' }] })).toBeUndefined();
      expect(row.dedupeKey(null)).toBeUndefined();
      expect(row.dedupeKey({ data: 'nonsense' })).toBeUndefined();
    }
  });
});
