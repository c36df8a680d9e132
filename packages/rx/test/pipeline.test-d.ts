import type {
  FilteredStreamResponseFor,
  JoinedResponse,
  MatchingRule,
  Media,
  Place,
  StallError,
  StreamClient,
  User,
} from '@birdstream/core';
import { bufferTime, concatMap, type Observable } from 'rxjs';
import { describe, expectTypeOf, it } from 'vitest';
import {
  dedupeById,
  fromFilteredStream,
  fromSampleStream,
  heartbeatTimeout,
  matchingRule,
  mergeRedundant,
  type ReconnectableObservable,
  resolveIncludes,
  responses,
  retryStream,
  type StreamEvent,
} from '../src/index.js';

declare const client: StreamClient;
const params = {
  expansions: ['author_id', 'attachments.media_keys'],
  'tweet.fields': ['created_at'],
  'user.fields': ['username'],
} as const;
type Response = FilteredStreamResponseFor<typeof params>;

describe('types of a pipeline', () => {
  it('types the source by its parameters', () => {
    const source = fromFilteredStream(client, params);
    expectTypeOf(source).toEqualTypeOf<ReconnectableObservable<StreamEvent<Response>>>();
  });

  it('keeps the response type through heartbeatTimeout, retryStream and dedupeById', () => {
    const events = fromFilteredStream(client, params).pipe(
      heartbeatTimeout(30_000),
      retryStream({ backfill: 'auto' }),
      dedupeById(),
    );
    const posts = events.pipe(responses());
    expectTypeOf(posts).toEqualTypeOf<Observable<Response>>();
    posts.subscribe((response) => {
      expectTypeOf(response.data.created_at).toEqualTypeOf<string>();
      expectTypeOf(response.matching_rules).toEqualTypeOf<MatchingRule[]>();
    });
  });

  it('joins the requested objects', () => {
    const hydrated = fromFilteredStream(client, params).pipe(
      retryStream(),
      responses(),
      matchingRule('cats'),
      resolveIncludes(),
    );
    hydrated.subscribe((post) => {
      expectTypeOf(post).toEqualTypeOf<JoinedResponse<Response>>();
      expectTypeOf(post.post.created_at).toEqualTypeOf<string>();
      expectTypeOf(post.author).toExtend<User | undefined>();
      expectTypeOf<NonNullable<typeof post.author>['username']>().toEqualTypeOf<string>();
      expectTypeOf(post.media).toExtend<Media[]>();
      expectTypeOf(post.place).toExtend<Place | undefined>();
      expectTypeOf(post.matchingRules).toEqualTypeOf<MatchingRule[]>();
    });
  });

  it('batches with bufferTime and concatMap', () => {
    const batches = fromFilteredStream(client, params).pipe(
      retryStream(),
      responses(),
      bufferTime(1_000),
      concatMap(async (batch) => batch.length),
    );
    expectTypeOf(batches).toEqualTypeOf<Observable<number>>();
  });

  it('merges redundant connections into one type', () => {
    const one = () => fromSampleStream(client, { 'tweet.fields': ['lang'] }).pipe(retryStream());
    mergeRedundant(one(), one())
      .pipe(responses())
      .subscribe((response) => {
        expectTypeOf(response.data.id).toEqualTypeOf<string>();
      });
  });

  it('rejects heartbeatTimeout after responses(), where keep-alives are gone', () => {
    const posts = fromFilteredStream(client, params).pipe(responses());
    // @ts-expect-error heartbeatTimeout needs stream events (keep-alives), not responses
    posts.pipe(heartbeatTimeout(30_000));
    expectTypeOf<StallError['timeoutMs']>().toEqualTypeOf<number>();
  });
});
