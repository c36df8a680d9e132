// The README pipeline's shutdown, run: completing through takeUntil writes the last batch.
import { bufferTime, concatMap, filter, type Observable, Subject, takeUntil } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { dedupeById, resolveIncludes, responses, type StreamEvent } from '../src/index.js';
import { createTestScheduler, post } from './support/marbles.js';

type Post = ReturnType<typeof post>['response'];

let testScheduler: TestScheduler;
beforeEach(() => {
  testScheduler = createTestScheduler();
});

/** The README pipeline's tail with a sink that takes 50 ms per batch; returns the written ids. */
function pipeline(events: Observable<StreamEvent<Post>>, shutdown: Subject<void>) {
  const written: string[] = [];
  const subscription = events
    .pipe(
      takeUntil(shutdown),
      dedupeById(),
      responses(),
      resolveIncludes(),
      bufferTime(1_000, null, 500),
      filter((batch) => batch.length > 0),
      concatMap((batch) =>
        testScheduler.createColdObservable('50ms (a|)', {
          a: batch.map(({ post }) => post.id),
        }),
      ),
    )
    .subscribe((ids) => written.push(...ids));
  return { written, subscription };
}

describe('README pipeline shutdown', () => {
  // 19 posts, one every 100 ms; Ctrl-C at 1.9 s, in the middle of the second batch.
  const marble = `${Array.from({ length: 19 }, (_, i) => String.fromCharCode(97 + i)).join(' 99ms ')}`;
  const values = Object.fromEntries(
    Array.from({ length: 19 }, (_, i) => [String.fromCharCode(97 + i), post(String(i + 1))]),
  );

  it('writes every post, the last batch included, when Ctrl-C completes it (shutdown.next())', () => {
    testScheduler.run(({ hot, flush }) => {
      const shutdown = new Subject<void>();
      const { written, subscription } = pipeline(hot<StreamEvent<Post>>(marble, values), shutdown);
      testScheduler.schedule(() => shutdown.next(), 1_850);
      flush();
      expect(written).toEqual(Array.from({ length: 19 }, (_, i) => String(i + 1)));
      expect(subscription.closed).toBe(true);
    });
  });

  it('loses the batch being collected when the subscription is unsubscribed (the old README)', () => {
    testScheduler.run(({ hot, flush }) => {
      const { written, subscription } = pipeline(
        hot<StreamEvent<Post>>(marble, values),
        new Subject<void>(),
      );
      testScheduler.schedule(() => subscription.unsubscribe(), 1_850);
      flush();
      expect(written.length).toBeLessThan(19);
      expect(written).toEqual(Array.from({ length: 10 }, (_, i) => String(i + 1)));
    });
  });
});
