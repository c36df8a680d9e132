import { type JoinedResponse, joinIncludes, MAX_REFERENCE_DEPTH } from '@birdstream/core';
import { readFixtureJson } from '@birdstream/test-utils';
import { describe, expect, test } from 'vitest';

const user = (id: string, username: string) => ({ id, username });

describe('joinIncludes', () => {
  test('joins author, replied-to user, media in order, polls and place; leaves missing ones out', () => {
    const joined = joinIncludes({
      data: {
        id: '1',
        author_id: '10',
        in_reply_to_user_id: '404',
        attachments: { media_keys: ['m2', 'gone', 'm1'], poll_ids: ['p1'] },
        geo: { place_id: 'pl' },
      },
      includes: {
        users: [user('10', 'ana')],
        media: [{ media_key: 'm1' }, { media_key: 'm2' }],
        polls: [{ id: 'p1' }],
        places: [{ id: 'pl' }],
      },
      matching_rules: [{ id: '7', tag: 't' }],
    });
    expect(joined.author).toEqual(user('10', 'ana'));
    expect(joined.inReplyToUser).toBeUndefined();
    expect(joined.media).toEqual([{ media_key: 'm2' }, { media_key: 'm1' }]);
    expect(joined.polls).toEqual([{ id: 'p1' }]);
    expect(joined.place).toEqual({ id: 'pl' });
    expect(joined.matchingRules).toEqual([{ id: '7', tag: 't' }]);
    expect(joined.errors).toEqual([]);
  });

  test('mentions: by id, else by username case-insensitively; each user once, in order', () => {
    const joined = joinIncludes({
      data: {
        id: '1',
        entities: { mentions: [{ username: 'OLD', id: '2' }, { username: 'ANA' }] },
        note_tweet: { entities: { mentions: [{ username: 'ana' }, { username: 'cy' }] } },
      },
      includes: { users: [user('1', 'ana'), user('2', 'bo'), user('3', 'Cy')] },
    });
    expect(joined.mentions).toEqual([user('2', 'bo'), user('1', 'ana'), user('3', 'Cy')]);
  });

  test(`referenced posts are joined ${MAX_REFERENCE_DEPTH} levels deep, never around a cycle`, () => {
    const chain = Array.from({ length: 6 }, (_, i) => ({
      id: String(i + 2),
      author_id: '10',
      referenced_tweets: [{ type: 'quoted', id: String(i + 3) }],
    }));
    const joined = joinIncludes({
      data: {
        id: '1',
        referenced_tweets: [
          { type: 'quoted', id: '2' },
          { type: 'x', id: '1' },
        ],
      },
      includes: { tweets: chain, users: [user('10', 'ana')] },
    });
    let level = joined.referencedTweets[0]?.post;
    let depth = 0;
    while (level) {
      depth += 1;
      expect(level.author).toEqual(user('10', 'ana'));
      level = level.referencedTweets[0]?.post;
    }
    expect(depth).toBe(MAX_REFERENCE_DEPTH);
    // a self-reference is listed but not joined
    expect(joined.referencedTweets[1]).toEqual({ type: 'x', id: '1', post: undefined });
  });

  test('a response without a post is a TypeError', () => {
    // A response typed without a post does not compile; one that arrives anyway throws.
    expect(() => joinIncludes({ errors: [] } as never)).toThrow(TypeError);
  });
});

describe('joinIncludes on recorded objects', () => {
  test('joins polls (recorded lookup with the attachments.poll_ids expansion)', () => {
    const response = readFixtureJson<{ data: { id: string } }>(
      'objects/postman/tweet_lookup_poll_expansion.json',
    );
    const result = joinIncludes(response) as JoinedResponse;
    expect(result.polls).toMatchObject([
      {
        id: '1199786642468413448',
        voting_status: 'closed',
        options: [{ votes: 795 }, { votes: 156 }],
      },
    ]);
  });

  test('matches mentions by id when X sends one, each user once (recorded search page)', () => {
    const page = readFixtureJson<{
      data: { id: string; entities?: { mentions?: { id?: string; username: string }[] } }[];
      includes: { users: { id: string; username: string }[] };
    }>('objects/twarc-csv/mentions_tweet.json');
    let checked = 0;
    for (const post of page.data) {
      const mentions = post.entities?.mentions ?? [];
      const result = joinIncludes({ data: post, includes: page.includes }) as JoinedResponse;
      const expected = [...new Set(mentions.map((m) => m.id))]
        .map((id) => page.includes.users.find((u) => u.id === id))
        .filter((u) => u !== undefined);
      expect(result.mentions).toEqual(expected);
      checked += mentions.length;
    }
    expect(checked).toBeGreaterThan(0);
  });

  test('does not loop on posts that reference each other', () => {
    const a = { id: '1', referenced_tweets: [{ type: 'quoted', id: '2' }] };
    const b = { id: '2', referenced_tweets: [{ type: 'quoted', id: '1' }] };
    const result = joinIncludes({ data: a, includes: { tweets: [a, b] } }) as JoinedResponse;
    expect(result.referencedTweets[0]?.post?.post).toBe(b);
    expect(result.referencedTweets[0]?.post?.referencedTweets[0]).toEqual({
      type: 'quoted',
      id: '1',
      post: undefined,
    });
  });
});
