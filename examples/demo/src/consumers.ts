import type { FilteredStreamParams, StreamClient } from '@birdstream/core';
import type { BirdstreamMetrics } from '@birdstream/prometheus';
import {
  dedupeById,
  fromFilteredStream,
  heartbeatTimeout,
  responses,
  retryStream,
} from '@birdstream/rx';
import { type SchedulerLike, tap } from 'rxjs';
import type { ConsumerTracker } from './consumer-tracker.js';

/** A running consumer: `stop()` closes its connection and resolves once it has ended. */
export interface Consumer {
  stop(): Promise<void>;
}

const PARAMS = {
  expansions: ['author_id'],
  'tweet.fields': ['created_at', 'lang'],
  'user.fields': ['username'],
} as const satisfies FilteredStreamParams;

/** Reads the filtered stream with core's `for await` loop (backfill and dedupe on). */
export function forAwaitConsumer(
  client: StreamClient,
  tracker: ConsumerTracker,
  metrics?: BirdstreamMetrics,
): Consumer {
  const stream = client.filter(PARAMS, { backfill: 'auto' });
  metrics?.trackStream(stream, { name: 'for-await' });
  stream.on('reconnecting', (e) => tracker.reconnecting(e.failure));
  stream.on('backfill', (e) => tracker.backfill(e.minutes));
  stream.on('duplicate', () => tracker.duplicate());
  stream.on('keep-alive', () => tracker.heartbeat());
  stream.on('lag', (e) => tracker.lag(e.lag.ageMs?.p50, e.lag.fallingBehind));
  const done = (async () => {
    try {
      for await (const response of stream) tracker.delivered(response.data.id);
    } catch (error) {
      tracker.failed((error as Error).message);
    }
  })();
  return {
    async stop() {
      await stream.close();
      await done;
    },
  };
}

/** Reads the filtered stream with an RxJS pipeline: heartbeat, retry with backfill, dedupe. */
export function rxConsumer(
  client: StreamClient,
  tracker: ConsumerTracker,
  scheduler: SchedulerLike,
  metrics?: BirdstreamMetrics,
): Consumer {
  // The pipeline's events after dedupe: posts once, duplicates reported by dedupeById.
  const observe = metrics?.observer({ name: 'rx' }) ?? (() => undefined);
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });
  const subscription = fromFilteredStream(client, PARAMS, { scheduler })
    .pipe(
      heartbeatTimeout(30_000, scheduler),
      retryStream({ backfill: 'auto', scheduler }),
      tap((event) => {
        if (event.type === 'reconnecting') tracker.reconnecting(event.failure);
        else if (event.type === 'backfill') tracker.backfill(event.minutes);
        else if (event.type === 'keep-alive') tracker.heartbeat();
        else if (event.type === 'lag') tracker.lag(event.lag.ageMs?.p50, event.lag.fallingBehind);
      }),
      dedupeById({
        onDuplicate: (id) => {
          tracker.duplicate();
          observe({ type: 'duplicate', id });
        },
      }),
      tap((event) => observe(event)),
      responses(),
    )
    .subscribe({
      next: (response) => tracker.delivered(response.data.id),
      error: (error: Error) => {
        tracker.failed(error.message);
        resolveDone();
      },
      complete: () => resolveDone(),
    });
  return {
    async stop() {
      subscription.unsubscribe();
      resolveDone();
      await done;
    },
  };
}
