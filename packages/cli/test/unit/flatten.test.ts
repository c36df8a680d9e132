import { readFixtureJson } from '@birdstream/test-utils';
import { describe, expect, it } from 'vitest';
import { flattenResponse } from '../../src/stream/flatten.js';

// biome-ignore lint/suspicious/noExplicitAny: reading deep into recorded JSON
type Json = any;

describe('flattenResponse', () => {
  it('resolves author, media, place, referenced tweets and keeps the ids (recorded message)', () => {
    const message = readFixtureJson<Json>('stream/twarc-csv/msg_00_tweet_1377650090978992134.json');
    const flat = flattenResponse(message) as Json;
    const { data, includes } = message;
    expect(flat.id).toBe(data.id);
    expect(flat.author_id).toBe(data.author_id);
    expect(flat.author).toEqual(includes.users.find((u: Json) => u.id === data.author_id));
    expect(flat.attachments.media_keys).toEqual(data.attachments.media_keys);
    expect(flat.attachments.media).toEqual(
      data.attachments.media_keys.map((key: string) =>
        includes.media.find((m: Json) => m.media_key === key),
      ),
    );
    expect(flat.geo.place).toEqual(includes.places.find((p: Json) => p.id === data.geo.place_id));
    const quoted = includes.tweets.find((t: Json) => t.id === data.referenced_tweets[0].id);
    expect(flat.referenced_tweets[0]).toMatchObject({ type: 'quoted', id: quoted.id });
    expect(flat.referenced_tweets[0].tweet.text).toBe(quoted.text);
    expect(flat.referenced_tweets[0].tweet.author).toEqual(
      includes.users.find((u: Json) => u.id === quoted.author_id),
    );
    expect(flat.matching_rules).toEqual(message.matching_rules);
    expect(flat).not.toHaveProperty('includes');
  });

  it('resolves mentions by username, replies and polls; leaves unknown ids alone', () => {
    const flat = flattenResponse({
      data: {
        id: '1',
        text: '@Ana hi',
        author_id: '10',
        in_reply_to_user_id: '11',
        attachments: { poll_ids: ['p1'], media_keys: ['missing'] },
        entities: {
          mentions: [
            { start: 0, end: 4, username: 'Ana' },
            { start: 5, end: 9, username: 'ghost' },
          ],
        },
        referenced_tweets: [{ type: 'replied_to', id: '404' }],
      },
      includes: {
        users: [
          { id: '10', name: 'Bo', username: 'bo' },
          { id: '11', name: 'Ana', username: 'ana' },
        ],
        polls: [{ id: 'p1', options: [] }],
      },
    }) as Json;
    expect(flat.author.username).toBe('bo');
    expect(flat.in_reply_to_user.username).toBe('ana');
    expect(flat.entities.mentions[0].user.id).toBe('11');
    expect(flat.entities.mentions[1]).not.toHaveProperty('user');
    expect(flat.attachments.poll).toEqual({ id: 'p1', options: [] });
    expect(flat.attachments).not.toHaveProperty('media');
    expect(flat.referenced_tweets).toEqual([{ type: 'replied_to', id: '404' }]);
  });

  it('returns undefined for a response without a post', () => {
    expect(flattenResponse({ errors: [{ title: 'x' }] })).toBeUndefined();
  });
});

describe('--flatten and rx join alike (core joinIncludes)', () => {
  const response = {
    data: {
      id: '1',
      text: '@renamed hi',
      author_id: '10',
      entities: { mentions: [{ start: 0, end: 8, username: 'renamed', id: '11' }] },
      note_tweet: { text: '@Bo', entities: { mentions: [{ start: 0, end: 3, username: 'bo' }] } },
      referenced_tweets: [{ type: 'quoted', id: '2' }],
    },
    includes: {
      users: [
        { id: '10', username: 'ana' },
        { id: '11', username: 'cy' },
        { id: '12', username: 'Bo' },
      ],
      tweets: [
        { id: '2', author_id: '11', referenced_tweets: [{ type: 'replied_to', id: '3' }] },
        { id: '3', author_id: '12', referenced_tweets: [{ type: 'quoted', id: '1' }] },
      ],
    },
  };

  it("matches a mention by id before username, and the long-form note's mentions too", () => {
    const flat = flattenResponse(response) as Json;
    // the username in the entity is stale; the id names the user
    expect(flat.entities.mentions[0].user).toEqual({ id: '11', username: 'cy' });
    expect(flat.note_tweet.entities.mentions[0].user).toEqual({ id: '12', username: 'Bo' });
  });

  it('flattens referenced posts more than one level deep, and stops at a cycle', () => {
    const flat = flattenResponse(response) as Json;
    const quoted = flat.referenced_tweets[0].tweet;
    expect(quoted.author).toEqual({ id: '11', username: 'cy' });
    const repliedTo = quoted.referenced_tweets[0].tweet;
    expect(repliedTo.author).toEqual({ id: '12', username: 'Bo' });
    // post 3 quotes post 1, which is being flattened: no tweet, only the reference
    expect(repliedTo.referenced_tweets[0]).toEqual({ type: 'quoted', id: '1' });
  });
});
