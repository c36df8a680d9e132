import { describe, expect, test } from 'vitest';
import type { z } from 'zod';
import { createMessageParser } from '../../src/decode/index.js';
import {
  STREAM_ENDPOINT_TABLE,
  type StreamEndpointName,
} from '../../src/endpoints/endpoint-table.js';
import {
  ActivityStreamResponse,
  COMPLIANCE_EVENT_KINDS,
  complianceEvent,
  LikeComplianceStreamResponse,
  LikeStreamResponse,
  TweetComplianceStreamResponse,
  TweetLabelStreamResponse,
  UserComplianceStreamResponse,
} from '../../src/schemas/index.js';
import { fixtureDocuments, fixtureFiles } from './fixture-walk.js';

/** Each oas-examples file, the schema of its stream and a stream that uses it. */
const FILES: Record<string, { schema: z.ZodType; endpoint: StreamEndpointName; lines: number }> = {
  'oas-examples/activity.jsonl': { schema: ActivityStreamResponse, endpoint: 'activity', lines: 3 },
  'oas-examples/labels.jsonl': { schema: TweetLabelStreamResponse, endpoint: 'labels', lines: 2 },
  'oas-examples/likes-compliance.jsonl': {
    schema: LikeComplianceStreamResponse,
    endpoint: 'likes-compliance',
    lines: 1,
  },
  'oas-examples/likes.jsonl': { schema: LikeStreamResponse, endpoint: 'likes-firehose', lines: 1 },
  'oas-examples/tweets-compliance.jsonl': {
    schema: TweetComplianceStreamResponse,
    endpoint: 'tweets-compliance',
    lines: 5,
  },
  'oas-examples/users-compliance.jsonl': {
    schema: UserComplianceStreamResponse,
    endpoint: 'users-compliance',
    lines: 9,
  },
};

describe('every oas-examples message parses with its stream schema', () => {
  test('the folder holds exactly the files this suite knows', () => {
    expect(fixtureFiles('oas-examples')).toEqual(Object.keys(FILES));
  });

  test.each(Object.entries(FILES))('%s', (file, { schema, endpoint, lines }) => {
    const documents = fixtureDocuments(file);
    expect(documents).toHaveLength(lines);
    // The table row names the same schema the test expects.
    expect(STREAM_ENDPOINT_TABLE[endpoint].schema).toBe(schema);
    const parse = createMessageParser({ validate: 'strict', schema });
    for (const [i, document] of documents.entries()) {
      const result = schema.safeParse(document);
      expect(result.success, `${file}:${i + 1} ${JSON.stringify(result.error?.issues)}`).toBe(true);
      const text = JSON.stringify(document);
      expect(parse({ text, byteLength: text.length }).type).toBe('response');
    }
  });
});

describe('compliance events', () => {
  const all = [
    ...fixtureDocuments('oas-examples/tweets-compliance.jsonl'),
    ...fixtureDocuments('oas-examples/users-compliance.jsonl'),
    ...fixtureDocuments('oas-examples/likes-compliance.jsonl'),
  ] as { data: never }[];

  test('complianceEvent() tells every kind, each once, with the id the event is about', () => {
    const events = all.map((message) => complianceEvent(message.data));
    expect(events.map((e) => e?.kind)).toEqual([...COMPLIANCE_EVENT_KINDS]);
    expect(events.map((e) => e?.objectId)).toEqual([
      ...Array(5).fill('1346889436626259968'),
      ...Array(9).fill('2244994945'),
      '1346889436626259968',
    ]);
  });

  test('a tweet delete and a favorite delete share the wire key but not the kind', () => {
    const tweet = complianceEvent(all[0]?.data);
    const like = complianceEvent(all[14]?.data);
    expect(tweet?.kind).toBe('delete');
    expect(like?.kind).toBe('favorite_delete');
    if (like?.kind === 'favorite_delete' && 'favorite' in like.event) {
      expect(like.event.favorite.user_id).toBe('2244994945');
    } else throw new Error('expected the spec shape, delete.favorite');
  });

  test('an unknown or malformed event is undefined, not a guess', () => {
    expect(complianceEvent(undefined)).toBeUndefined();
    expect(
      complianceEvent({ post_vanish: { tweet: { id: '1' }, event_at: 'x' } } as never),
    ).toBeUndefined();
    expect(complianceEvent({ delete: { tweet: { id: '1' } } } as never)).toBeUndefined();
    expect(complianceEvent({ delete: { tweet: {}, event_at: 'x' } } as never)).toBeUndefined();
  });
});

describe('the schemas reject wrong shapes', () => {
  const at = '2021-07-06T18:40:40.000Z';
  test.each([
    ['a like without its id', LikeStreamResponse, { data: { liked_tweet_id: '1' } }],
    ['a like id with a space', LikeStreamResponse, { data: { id: 'a b' } }],
    ['a like with a numeric post id', LikeStreamResponse, { data: { id: 'x', liked_tweet_id: 1 } }],
    [
      'an unknown tweet compliance kind',
      TweetComplianceStreamResponse,
      { data: { vanish: { tweet: { id: '1' }, event_at: at } } },
    ],
    [
      'a delete without event_at',
      TweetComplianceStreamResponse,
      { data: { delete: { tweet: { id: '1' } } } },
    ],
    [
      'withheld without countries',
      TweetComplianceStreamResponse,
      { data: { withheld: { tweet: { id: '1' }, event_at: at } } },
    ],
    [
      'a user event in the tweet stream',
      TweetComplianceStreamResponse,
      { data: { user_delete: { user: { id: '1' }, event_at: at } } },
    ],
    [
      'scrub_geo without up_to_tweet_id',
      UserComplianceStreamResponse,
      { data: { scrub_geo: { user: { id: '1' }, event_at: at } } },
    ],
    [
      'a favorite delete without user_id',
      LikeComplianceStreamResponse,
      { data: { delete: { favorite: { id: '1' }, event_at: at } } },
    ],
    [
      'a notice without event_type',
      TweetLabelStreamResponse,
      { data: { public_tweet_notice: { tweet: { id: '1' }, event_at: at, application: 'apply' } } },
    ],
    ['an activity event without event_uuid', ActivityStreamResponse, { data: { event_type: 'x' } }],
    ['errors that are not problems', ActivityStreamResponse, { errors: [{ message: 'x' }] }],
  ] as const)('%s', (_name, schema, message) => {
    expect((schema as z.ZodType).safeParse(message).success).toBe(false);
  });

  test('fields X adds later are kept (tolerant, like the post schemas)', () => {
    const result = LikeStreamResponse.safeParse({ data: { id: 'abc', new_field: 1 } });
    expect(result.success && (result.data.data as Record<string, unknown>).new_field).toBe(1);
  });
});
