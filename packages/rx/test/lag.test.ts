import { isConnectionError, StreamClient } from '@birdstream/core';
import { bodyFromChunks, streamLine, useMswServer } from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { fromFilteredStream, type StreamEvent } from '../src/index.js';

const server = useMswServer();
const FILTER = 'https://api.x.com/2/tweets/search/stream';
const T0 = Date.UTC(2026, 0, 1);

/** A scheduler whose clock the test moves: the subscriber's "work" advances it. */
function manualScheduler() {
  const scheduler = {
    time: T0,
    now: () => scheduler.time,
    schedule: asyncScheduler.schedule.bind(asyncScheduler),
  };
  return scheduler;
}

/** Posts created 500 ms apart, all waiting at X. */
function posts(count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    streamLine({
      data: {
        id: String(i + 1),
        text: `post ${i + 1}`,
        edit_history_tweet_ids: [String(i + 1)],
        created_at: new Date(T0 + i * 500).toISOString(),
      },
    }),
  );
}

type Event = StreamEvent<{ data: { id: string } }>;

/** Subscribes; each response "takes" `holdMs` of the scheduler's clock. Resolves with the events. */
function consume(holdMs: number, lines: string[]) {
  server.use(http.get(FILTER, () => new HttpResponse(bodyFromChunks(lines))));
  const scheduler = manualScheduler();
  const events: Event[] = [];
  return new Promise<{ events: Event[]; error: unknown }>((resolve) => {
    fromFilteredStream(
      new StreamClient({ bearerToken: 't' }),
      {},
      { scheduler: scheduler as SchedulerLike, lag: { intervalMs: 1_000 } },
    ).subscribe({
      next: (event) => {
        events.push(event as Event);
        if (event.type === 'response') scheduler.time += holdMs;
      },
      error: (error: unknown) => resolve({ events, error }),
      complete: () => resolve({ events, error: undefined }),
    });
  });
}

describe('rx sources measure lag as core streams do', () => {
  it('a subscriber that takes longer per post than posts arrive gets falling-behind before the stream ends', async () => {
    const { events, error } = await consume(800, posts(8));
    const types = events.map((e) => e.type);
    expect(types).toContain('falling-behind');
    // It came while posts were still arriving, not at the end.
    expect(types.indexOf('falling-behind')).toBeLessThan(types.lastIndexOf('response'));
    const behind = events.find((e) => e.type === 'falling-behind');
    expect(behind?.type === 'falling-behind' && behind.reason).toBe('consumer-saturated');
    // The body ended: the source errors so retryStream can reconnect.
    expect(isConnectionError(error)).toBe(true);
  });

  it('a quick subscriber gets lag events and no falling-behind', async () => {
    // A post every 500 ms with a keep-alive between: the clock moves 100 ms per post, 400 per keep-alive.
    const scheduler = manualScheduler();
    const lines = posts(10).flatMap((line) => [line, '\r\n']);
    server.use(http.get(FILTER, () => new HttpResponse(bodyFromChunks(lines))));
    const events: Event[] = [];
    await new Promise<void>((resolve) => {
      fromFilteredStream(
        new StreamClient({ bearerToken: 't' }),
        {},
        { scheduler: scheduler as SchedulerLike, lag: { intervalMs: 1_000 } },
      ).subscribe({
        next: (event) => {
          events.push(event as Event);
          if (event.type === 'response') scheduler.time += 100;
          if (event.type === 'keep-alive') scheduler.time += 400;
        },
        error: () => resolve(),
        complete: () => resolve(),
      });
    });
    expect(events.filter((e) => e.type === 'lag').length).toBeGreaterThanOrEqual(2);
    expect(events.filter((e) => e.type === 'falling-behind')).toHaveLength(0);
  });

  it('lag: false emits no lag events', async () => {
    server.use(http.get(FILTER, () => new HttpResponse(bodyFromChunks(posts(8)))));
    const scheduler = manualScheduler();
    const events: Event[] = [];
    await new Promise<void>((resolve) => {
      fromFilteredStream(
        new StreamClient({ bearerToken: 't' }),
        {},
        { scheduler: scheduler as SchedulerLike, lag: false },
      ).subscribe({
        next: (event) => {
          events.push(event as Event);
          scheduler.time += 800;
        },
        error: () => resolve(),
        complete: () => resolve(),
      });
    });
    expect(events.filter((e) => e.type === 'lag')).toHaveLength(0);
  });

  it('a SlowReader disconnect errors the source with an error that names it', async () => {
    const slow = streamLine({
      errors: [
        {
          title: 'operational-disconnect',
          disconnect_type: 'SlowReader',
          detail: 'Client too slow',
          type: 'https://api.twitter.com/2/problems/operational-disconnect',
        },
      ],
    });
    const { events, error } = await consume(0, [...posts(1), slow]);
    expect(isConnectionError(error)).toBe(true);
    expect((error as Error).message).toMatch(/reading too slowly \(SlowReader/);
    const streamErrors = events.find((e) => e.type === 'stream-errors');
    expect(streamErrors?.type === 'stream-errors' && streamErrors.reason).toMatch(/SlowReader/);
  });
});
