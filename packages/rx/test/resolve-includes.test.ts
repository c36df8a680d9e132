import type { JoinedResponse } from '@birdstream/core';
import { useMswServer } from '@birdstream/test-utils';
import { from, lastValueFrom, toArray } from 'rxjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { matchingRule, resolveIncludes } from '../src/index.js';
import { type RecordedResponse, recordedResponses } from './support/recorded-stream.js';

const server = useMswServer();
let responses: RecordedResponse[];
let hydrated: JoinedResponse<RecordedResponse>[];

beforeAll(async () => {
  responses = await recordedResponses(server);
  hydrated = await lastValueFrom(from(responses).pipe(resolveIncludes(), toArray()));
});

const byId = (id: string) => {
  const post = hydrated.find((h) => h.post.id === id);
  if (!post) throw new Error(`post ${id} is not in the capture`);
  return post;
};

describe('resolveIncludes on the recorded filtered-stream capture', () => {
  it('hydrates every post of the capture', () => {
    expect(hydrated.map((h) => h.post.id)).toEqual([
      '1377650090978992134',
      '1377650093109743620',
      '1377650277642338305',
      '1377650387579248643',
      '1377650459033280516',
      '1377650500687044618',
      '1377650529766154240',
      '1377650529766154240',
    ]);
  });

  it('joins author, place and media by their ids, for every post', () => {
    for (const { post, author, place, media } of hydrated) {
      expect(author?.id).toBe(post.author_id);
      expect(place?.id).toBe(post.geo?.place_id);
      const included = new Set(
        responses.flatMap((r) => r.includes.media ?? []).map((m) => m.media_key),
      );
      const keys = (post.attachments?.media_keys ?? []).filter((key) => included.has(key));
      expect(media.map((m) => m.media_key)).toEqual(keys);
    }
  });

  it('resolves a quoted post with its own author; its media was not expanded, so it has none', () => {
    const quote = byId('1377650090978992134');
    expect(quote.author?.username).toBe('blackheart_265');
    expect(quote.media).toMatchObject([
      { media_key: '3_1377650087799754753', type: 'photo', width: 500 },
    ]);
    expect(quote.place).toMatchObject({ full_name: 'Malawi', country_code: 'MW' });
    expect(quote.referencedTweets).toHaveLength(1);
    const [quoted] = quote.referencedTweets;
    expect(quoted!.type).toBe('quoted');
    expect(quoted!.id).toBe('1377640162566496258');
    expect(quoted!.post?.post.text).toMatch(/^My car, Money, Warzone/);
    expect(quoted!.post?.author?.username).toBe('Manie_DS');
    expect(quoted!.post?.media).toEqual([]);
  });

  it('resolves a reply: replied-to user, mentioned user (by username: the capture has no mention ids) and the parent post', () => {
    const reply = byId('1377650093109743620');
    expect(reply.post.entities?.mentions?.[0]?.id).toBeUndefined();
    expect(reply.inReplyToUser?.username).toBe('PoliceMutual');
    expect(reply.mentions.map((u) => u.username)).toEqual(['PoliceMutual']);
    expect(reply.mentions[0]).toBe(reply.inReplyToUser);
    const [parent] = reply.referencedTweets;
    expect(parent).toMatchObject({ type: 'replied_to', id: '1377266697850257410' });
    expect(parent!.post?.author).toBe(reply.inReplyToUser);
  });

  it('leaves out what the response did not include', () => {
    const plain = byId('1377650277642338305');
    expect(plain.mentions).toEqual([]);
    expect(plain.media).toEqual([]);
    expect(plain.polls).toEqual([]);
    expect(plain.inReplyToUser).toBeUndefined();
    expect(plain.referencedTweets).toEqual([]);
    expect(plain.errors).toEqual([]);
  });

  it('keeps the matching rules with their exact 19-digit ids (sent as JSON numbers in 2021)', () => {
    for (const post of hydrated) {
      expect(post.matchingRules).toEqual([{ id: '1377649934414049282', tag: null }]);
    }
  });

  it('filters by matching rule id, on responses and on hydrated posts', async () => {
    const kept = await lastValueFrom(
      from(responses).pipe(matchingRule('1377649934414049282'), toArray()),
    );
    expect(kept).toHaveLength(responses.length);
    const none = await lastValueFrom(
      from(hydrated).pipe(matchingRule('1377649934414049283'), toArray()),
    );
    expect(none).toEqual([]);
  });
});
