import type { EndpointStream, StreamLifecycleEvent } from '@birdstream/core';
import type { ManualClock } from '@birdstream/test-utils';
import { ofType, recordEvents } from './events.js';
import { until } from './until.js';

const running = new Set<EndpointStream<unknown>>();

/** Closes every stream `run()` started (call from `afterEach`, so a failed test leaks nothing into the next). */
export async function closeAllStreams(): Promise<void> {
  for (const stream of running) await stream.close();
  running.clear();
}

/** Consumes a stream in the background, collecting posts and the error that ended it. */
export function run<R>(stream: EndpointStream<R>) {
  running.add(stream as EndpointStream<unknown>);
  const posts: R[] = [];
  const events: StreamLifecycleEvent[] = recordEvents(stream as EndpointStream<unknown>);
  let error: unknown;
  let finished = false;
  const done = (async () => {
    try {
      for await (const post of stream) posts.push(post);
    } catch (e) {
      error = e;
    } finally {
      finished = true;
    }
  })();
  return {
    posts,
    events,
    done,
    get error() {
      return error;
    },
    get finished() {
      return finished;
    },
  };
}

/**
 * Follows `count` reconnects: waits until the stream announced the next
 * reconnect and is sleeping for it, checks that the one pending timer is
 * that delay, and fires it. Returns the delays (0 = reconnected at once).
 */
export async function followReconnects(
  clock: ManualClock,
  events: StreamLifecycleEvent[],
  count: number,
): Promise<number[]> {
  const delays: number[] = [];
  const already = ofType(events, 'reconnecting').length;
  for (let i = already + 1; i <= already + count; i++) {
    await until(() => ofType(events, 'reconnecting').length >= i, `reconnect #${i}`);
    const delay = ofType(events, 'reconnecting')[i - 1]!.delayMs;
    if (delay > 0) {
      await until(() => clock.pendingTimers === 1, `the back-off timer #${i}`);
      const pending = clock.pendingDelays()[0];
      if (pending !== delay) throw new Error(`timer ${pending} ≠ announced delay ${delay}`);
      await clock.next();
    }
    delays.push(delay);
  }
  return delays;
}
