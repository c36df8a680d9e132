// The README's examples, compiled against the real types (kept in sync by hand).
import { appendFile } from 'node:fs/promises';
import { ConnectionError, complianceEvent, StreamClient } from '@birdstream/core';
import { asyncScheduler, bufferTime, concatMap, filter, Subject, takeUntil, tap } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  dedupeByEndpoint,
  dedupeById,
  fromEndpoint,
  fromFilteredStream,
  fromPartitions,
  heartbeatTimeout,
  matchingRule,
  mergeRedundant,
  resolveIncludes,
  responses,
  retryStream,
} from '../src/index.js';

describe('README examples', () => {
  it('sources for every stream', () => {
    const client = new StreamClient({ bearerToken: 't' });
    fromEndpoint(client, 'tweets-compliance', { partition: 1 })
      .pipe(
        heartbeatTimeout(30_000),
        retryStream({ backfill: 'auto' }),
        dedupeByEndpoint('tweets-compliance'),
        responses(),
      )
      .subscribe(({ data }) => console.log(complianceEvent(data)?.kind));

    fromPartitions(client, 'firehose', { partitions: 'all' }, { retry: { backfill: 'auto' } })
      .pipe(
        tap((event) => {
          if (event.type === 'reconnecting')
            console.warn(`partition ${event.partition} reconnecting`);
        }),
        responses(),
      )
      .subscribe(({ data }) => console.log(data.id));
  });

  it('a production pipeline', () => {
    const client = new StreamClient({ bearerToken: process.env.X_BEARER_TOKEN });
    const shutdown = new Subject<void>();
    fromFilteredStream(client, {
      expansions: ['author_id', 'attachments.media_keys', 'referenced_tweets.id'],
      'tweet.fields': ['created_at', 'lang'],
      'user.fields': ['username'],
      'media.fields': ['url', 'type'],
    })
      .pipe(
        heartbeatTimeout(30_000),
        retryStream({ backfill: 'auto' }),
        tap((event) => {
          if (event.type === 'reconnecting') {
            console.warn(
              `reconnect #${event.attempt} in ${event.delayMs} ms: ${event.reason.message}`,
            );
          }
        }),
        takeUntil(shutdown),
      )
      .pipe(
        dedupeById(),
        responses(),
        resolveIncludes(),
        bufferTime(1_000, null, 500),
        filter((batch) => batch.length > 0),
        concatMap((batch) =>
          appendFile(
            'posts.jsonl',
            `${batch
              .map(({ post, author, media, matchingRules }) =>
                JSON.stringify({
                  id: post.id,
                  created_at: post.created_at,
                  lang: post.lang,
                  text: post.text,
                  author: author?.username,
                  media: media.map((m) => m.url),
                  rules: matchingRules.map((rule) => rule.tag ?? rule.id),
                }),
              )
              .join('\n')}\n`,
          ),
        ),
      )
      .subscribe({
        error: (error) => {
          console.error(error.message);
          process.exitCode = 1;
        },
      });
    process.once('SIGINT', () => shutdown.next());
  });

  it('retryStream options, redundant connections, resolveIncludes', () => {
    const client = new StreamClient({ bearerToken: 't' });
    const params = { 'tweet.fields': ['created_at'] } as const;
    retryStream({
      maxRetries: 20,
      backfill: 'auto',
      policy: ({ kind }) => (kind === 'rate-limit' ? 15 * 60_000 : undefined),
      schedule: { jitter: 0.1 },
      healthyAfterMs: 30_000,
      firstConnection: { maxAttempts: 10, maxElapsedMs: 120_000 },
      scheduler: asyncScheduler,
    });
    const connection = () =>
      fromFilteredStream(client, params).pipe(heartbeatTimeout(30_000), retryStream());
    mergeRedundant(connection(), connection())
      .pipe(responses())
      .subscribe((response) => console.log(response.data.id));

    fromFilteredStream(client, {
      expansions: [
        'author_id',
        'entities.mentions.username',
        'referenced_tweets.id',
        'geo.place_id',
      ],
      'user.fields': ['username'],
    })
      .pipe(retryStream(), responses(), matchingRule('news'), resolveIncludes())
      .subscribe(({ post, author, mentions, place, referencedTweets }) => {
        const quoted = referencedTweets.find((ref) => ref.type === 'quoted')?.post;
        expectTypeOf(quoted?.post.text).toEqualTypeOf<string | undefined>();
        console.log(`@${author?.username}: ${post.text}`, mentions.length, place?.full_name);
      });
  });

  it('recovering outages longer than 5 minutes', () => {
    const client = new StreamClient({ bearerToken: process.env.X_BEARER_TOKEN ?? '' });
    const iso = (ms: number) => new Date(ms).toISOString();
    fromFilteredStream(client, { 'tweet.fields': ['created_at'] })
      .pipe(
        heartbeatTimeout(30_000),
        retryStream({ backfill: 'auto', recoverGaps: true }),
        tap((event) => {
          if (event.type !== 'recovery') return;
          expectTypeOf(event.phase).toEqualTypeOf<
            'scheduled' | 'started' | 'completed' | 'failed' | 'unrecoverable'
          >();
          const window = `${iso(event.startTime)} – ${iso(event.endTime)}`;
          if (event.phase === 'completed')
            console.info(`recovered ${event.posts} posts of ${window}`);
          if (event.phase === 'failed')
            console.error(`not recovered: ${window}`, event.error?.message);
          if (event.phase === 'unrecoverable') console.error(`older than 24 h, lost: ${window}`);
        }),
        dedupeById({ retainMs: 60 * 60_000 }),
        responses(),
      )
      .subscribe((response) => {
        expectTypeOf(response.data.created_at).toEqualTypeOf<string>();
        console.log(response.data.id);
      });
  });

  it('testing in virtual time', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ cold, expectSubscriptions }) => {
      const source = cold('#', undefined, new ConnectionError('reset'));
      source.pipe(retryStream({ maxRetries: 3, scheduler })).subscribe({ error: () => {} });
      expectSubscriptions(source.subscriptions).toBe([
        '(^!)',
        '250ms (^!)',
        '750ms (^!)',
        '1500ms (^!)',
      ]);
    });
  });
});
