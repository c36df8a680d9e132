// An RxJS pipeline on Bun or Deno: reconnects with backfill, drops the replay's duplicates,
// keeps the posts and joins their authors, until the test writes `stop`.
import { StreamClient } from '@birdstream/core';
import {
  dedupeById,
  fromFilteredStream,
  resolveIncludes,
  responses,
  retryStream,
} from '@birdstream/rx';
import { Subject, takeUntil, tap } from 'rxjs';
import { config, describeError, emit, finish, runtime, stopRequested } from './lib.mjs';

const { baseUrl, token } = config();
emit({ type: 'runtime', runtime });
const client = new StreamClient({ bearerToken: token, baseUrl });
const stop = new Subject();
void stopRequested().then(() => stop.next());
fromFilteredStream(client, { expansions: ['author_id'], 'tweet.fields': ['created_at'] })
  .pipe(
    retryStream({ backfill: 'auto' }),
    tap((event) => {
      if (event.type === 'reconnecting') emit({ type: 'event', event: { type: event.type } });
    }),
    takeUntil(stop),
    dedupeById(),
    responses(),
    resolveIncludes(),
  )
  .subscribe({
    next: ({ post, author }) => emit({ type: 'post', id: post.id, author: author?.username }),
    error: (error) => {
      emit({ type: 'error', error: describeError(error) });
      finish();
    },
    complete: () => finish(),
  });
