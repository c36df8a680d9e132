import { describe, expect, test } from 'vitest';
import {
  Includes,
  MatchingRule,
  Media,
  Place,
  Poll,
  SampleStreamResponse,
  StreamResponse,
  Tweet,
  User,
} from '../../src/schemas/index.js';

const post = {
  id: '1377650090978992134',
  text: 'hello',
  edit_history_tweet_ids: ['1377650090978992134'],
};

describe('Tweet', () => {
  test('needs id (digits) and text', () => {
    expect(Tweet.safeParse(post).success).toBe(true);
    expect(Tweet.safeParse({ text: 'x' }).success).toBe(false);
    expect(Tweet.safeParse({ id: '1' }).success).toBe(false);
    expect(Tweet.safeParse({ id: 'abc', text: 'x' }).success).toBe(false);
    expect(Tweet.safeParse({ id: Number('1377650090978992134'), text: 'x' }).success).toBe(false);
    expect(Tweet.safeParse({ id: '12345678901234567890', text: 'x' }).success).toBe(false);
  });

  test('edits_remaining: a number, or a string of digits turned into a number', () => {
    const controls = { is_edit_eligible: true, editable_until: '2022-10-03T18:27:01.000Z' };
    expect(
      Tweet.parse({ ...post, edit_controls: { ...controls, edits_remaining: '4' } }).edit_controls,
    ).toEqual({ ...controls, edits_remaining: 4 });
    expect(
      Tweet.parse({ ...post, edit_controls: { ...controls, edits_remaining: 5 } }).edit_controls
        ?.edits_remaining,
    ).toBe(5);
    expect(
      Tweet.safeParse({ ...post, edit_controls: { ...controls, edits_remaining: 'four' } }).success,
    ).toBe(false);
  });

  test('keeps fields it does not model (X adds fields) at every level', () => {
    const parsed = Tweet.parse({
      ...post,
      shiny_new_field: { a: 1 },
      public_metrics: {
        retweet_count: 1,
        reply_count: 2,
        like_count: 3,
        quote_count: 4,
        new_count: 5,
      },
    });
    expect(parsed).toHaveProperty('shiny_new_field', { a: 1 });
    expect(parsed.public_metrics).toHaveProperty('new_count', 5);
  });

  test('tolerates odd language codes, new enum values and the OpenAPI 2.167 "post" names', () => {
    const parsed = Tweet.parse({
      ...post,
      lang: 'qst',
      reply_settings: 'someNewSetting',
      referenced_tweets: [{ type: 'reposted', id: '1' }],
      edit_history_post_ids: ['1'],
      referenced_posts: [{ type: 'quoted', id: '2' }],
      note_post: { text: 'long' },
    });
    expect(parsed.lang).toBe('qst');
    expect(parsed.referenced_posts?.[0]?.id).toBe('2');
    expect(Tweet.safeParse({ id: '1', text: 'no edit history (2021 recordings)' }).success).toBe(
      true,
    );
  });

  test('rejects wrong types in known fields', () => {
    expect(Tweet.safeParse({ ...post, possibly_sensitive: 'no' }).success).toBe(false);
    expect(Tweet.safeParse({ ...post, author_id: 42 }).success).toBe(false);
    expect(Tweet.safeParse({ ...post, entities: { urls: [{ start: 0, end: 5 }] } }).success).toBe(
      false,
    );
  });
});

describe('User, Media, Place, Poll', () => {
  test('User needs id, name (may be empty) and username; url "" is fine', () => {
    expect(User.safeParse({ id: '1', name: '', username: 'a', url: '' }).success).toBe(true);
    expect(User.safeParse({ id: '1', name: 'a' }).success).toBe(false);
    expect(User.safeParse({ id: 'x', name: 'a', username: 'a' }).success).toBe(false);
  });

  test('Media needs type and media_key; photo, video, GIF and new types', () => {
    expect(Media.safeParse({ media_key: '3_1', type: 'photo', url: 'https://x' }).success).toBe(
      true,
    );
    expect(
      Media.safeParse({
        media_key: '7_1',
        type: 'video',
        variants: [
          { bit_rate: 832000, content_type: 'video/mp4', url: 'https://v' },
          { content_type: 'application/x-mpegURL', url: 'https://m' },
        ],
      }).success,
    ).toBe(true);
    expect(Media.safeParse({ media_key: '16_1', type: 'audio' }).success).toBe(true);
    expect(Media.safeParse({ media_key: '3_1' }).success).toBe(false);
    expect(Media.safeParse({ type: 'photo' }).success).toBe(false);
  });

  test('Place needs id and full_name; Poll needs id and options', () => {
    expect(Place.safeParse({ id: 'a0583a9994e6bf1b', full_name: 'Malawi' }).success).toBe(true);
    expect(Place.safeParse({ id: 'a0583a9994e6bf1b' }).success).toBe(false);
    expect(
      Poll.safeParse({ id: '1', options: [{ position: 1, label: 'a', votes: 0 }] }).success,
    ).toBe(true);
    expect(Poll.safeParse({ id: '1' }).success).toBe(false);
    expect(Poll.safeParse({ id: '1', options: [{ position: 1, label: 'a' }] }).success).toBe(false);
  });

  test('Includes accepts every collection, and includes.posts', () => {
    expect(
      Includes.safeParse({
        tweets: [post],
        posts: [post],
        users: [],
        media: [],
        places: [],
        polls: [],
        topics: [{ id: 't', name: 'Tech' }],
      }).success,
    ).toBe(true);
    expect(Includes.safeParse({ users: [{ id: '1' }] }).success).toBe(false);
  });
});

describe('MatchingRule', () => {
  test('id: a string of digits, or an exact JSON number turned into a string', () => {
    expect(MatchingRule.parse({ id: '1377650081780703234', tag: 'x' }).id).toBe(
      '1377650081780703234',
    );
    expect(MatchingRule.parse({ id: 1234, tag: 'x' }).id).toBe('1234');
    // A number above 2^53 has already lost digits: refuse it rather than invent an id.
    expect(MatchingRule.safeParse({ id: Number('1377650081780703234') }).success).toBe(false);
    expect(MatchingRule.safeParse({ id: 'abc' }).success).toBe(false);
    expect(MatchingRule.safeParse({ id: 1.5 }).success).toBe(false);
  });

  test('tag missing, null or "" are all accepted', () => {
    expect(MatchingRule.parse({ id: '1' }).tag).toBeUndefined();
    expect(MatchingRule.parse({ id: '1', tag: null }).tag).toBeNull();
    expect(MatchingRule.parse({ id: '1', tag: '' }).tag).toBe('');
    expect(
      MatchingRule.parse({ id: '1', embedding_similarity: 0.8, embedding_threshold: 0.7 }),
    ).toMatchObject({ embedding_similarity: 0.8 });
  });
});

describe('StreamResponse, SampleStreamResponse', () => {
  test('a post with matching rules, an errors-only message, and unknown top-level fields', () => {
    expect(
      StreamResponse.safeParse({ data: post, matching_rules: [{ id: '1', tag: null }] }).success,
    ).toBe(true);
    expect(
      StreamResponse.parse({ errors: [{ type: 'about:blank', title: 'x' }], meta: { new: 1 } }),
    ).toHaveProperty('meta', { new: 1 });
    expect(
      StreamResponse.safeParse({ data: post, matching_rules: [{ tag: 'no id' }] }).success,
    ).toBe(false);
  });

  test('the sample stream has no matching_rules', () => {
    expect(SampleStreamResponse.shape).not.toHaveProperty('matching_rules');
    expect(SampleStreamResponse.safeParse({ data: post }).success).toBe(true);
  });
});
