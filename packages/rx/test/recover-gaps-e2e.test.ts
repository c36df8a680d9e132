import { StreamClient } from '@birdstream/core';
import {
  type ControlledBody,
  controlledBody,
  ManualClock,
  useMswServer,
} from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { dedupeById, fromFilteredStream, retryStream, type StreamEvent } from '../src/index.js';
import { clockScheduler } from './support/clock-scheduler.js';
import { type Recording, record } from './support/recorder.js';

const server = useMswServer();
const FILTER = 'https://api.x.com/2/tweets/search/stream';
const MIN = 60_000;

interface Served {
  url: URL;
  body: ControlledBody;
  signal: AbortSignal;
}

/** Serves the filtered stream with bodies the test drives; recovery requests (start_time) apart. */
function serve() {
  const live: Served[] = [];
  const recoveries: Served[] = [];
  server.use(
    http.get(FILTER, ({ request }) => {
      const url = new URL(request.url);
      const body = controlledBody();
      const served = { url, body, signal: request.signal };
      (url.searchParams.has('start_time') ? recoveries : live).push(served);
      return new HttpResponse(body.body);
    }),
  );
  return { live, recoveries };
}

const post = (id: string) => ({ data: { id, text: `post ${id}`, edit_history_tweet_ids: [id] } });
type Event = StreamEvent<{ data: { id: string } }>;
const count = (r: Recording<Event>, type: string) =>
  r.values.filter((event) => event.type === type).length;
const ids = (r: Recording<Event>) =>
  r.values.flatMap((event) => (event.type === 'response' ? [event.response.data.id] : []));

/**
 * fromFilteredStream → retryStream({ backfill: 'auto', recoverGaps: true }) →
 * dedupeById over msw, in virtual time: the live connection gets a post and
 * a keep-alive at 60.5 s, drops, and the policy waits 11 minutes.
 */
async function outageOf11Minutes() {
  const clock = new ManualClock();
  const start = clock.now();
  const scheduler = clockScheduler(clock);
  const served = serve();
  const client = new StreamClient({ bearerToken: 'token', clock });
  const r = record<Event>(
    fromFilteredStream(client, { 'tweet.fields': ['created_at'] }, { scheduler }).pipe(
      retryStream({ backfill: 'auto', recoverGaps: true, policy: () => 11 * MIN, scheduler }),
      dedupeById({ retainMs: 30 * MIN, scheduler }),
    ),
  );
  await r.until(() => count(r, 'connected') === 1, 'the first connection');
  const first = served.live[0]!;
  first.body.message(post('100'));
  await clock.advance(60_500);
  first.body.keepAlive();
  await clock.advance(0);
  first.body.fail();
  await r.until(() => count(r, 'reconnecting') === 1, 'the reconnect to be announced');
  await clock.advance(11 * MIN);
  await r.until(
    () => served.live.length === 2 && served.recoveries.length === 1,
    'the backfill connection and the recovery request',
  );
  return { clock, start, served, r };
}

describe('recoverGaps end to end: fromFilteredStream over msw', () => {
  it('requests the gap before the backfill with start_time/end_time in RFC 3339 seconds, without backfill_minutes', async () => {
    const { served, r } = await outageOf11Minutes();
    // Last byte at 60.5 s, reconnect at 12 min 0.5 s: backfill covers 5 minutes, recovery the 6
    // before, with a minute's margin past each end.
    const recoveryUrl = served.recoveries[0]!.url;
    expect(recoveryUrl.searchParams.get('start_time')).toBe('2026-01-01T00:00:00Z');
    expect(recoveryUrl.searchParams.get('end_time')).toBe('2026-01-01T00:08:01Z');
    expect(recoveryUrl.searchParams.get('tweet.fields')).toBe('created_at');
    expect(recoveryUrl.searchParams.has('backfill_minutes')).toBe(false);
    expect(served.live[1]!.url.searchParams.get('backfill_minutes')).toBe('5');
    expect(served.live[1]!.url.searchParams.has('start_time')).toBe(false);
    expect(r.values.filter((e) => e.type === 'recovery')).toEqual([
      {
        type: 'recovery',
        phase: 'started',
        startTime: Date.UTC(2026, 0, 1, 0, 0, 0, 500),
        endTime: Date.UTC(2026, 0, 1, 0, 8, 0, 500),
      },
    ]);
    r.subscription.unsubscribe();
  });

  it('delivers the recovered posts once between live ones, and completes the window when the server ends it', async () => {
    const { clock, served, r } = await outageOf11Minutes();
    const recovery = served.recoveries[0]!;
    const live = served.live[1]!;
    // The recovery replays the post at the gap's edge (delivered before the outage) and one lost.
    recovery.body.message(post('100'));
    recovery.body.message(post('101'));
    await clock.advance(0);
    live.body.message(post('102'));
    await clock.advance(0);
    recovery.body.end();
    await r.until(
      () => r.values.some((e) => e.type === 'recovery' && e.phase === 'completed'),
      'the recovery to complete',
    );
    expect(ids(r)).toEqual(['100', '101', '102']);
    expect(r.values.filter((e) => e.type === 'recovery')).toMatchObject([
      { phase: 'started' },
      { phase: 'completed', posts: 2 },
    ]);
    // Only the live connections' lifecycle reached the output.
    expect(count(r, 'connecting')).toBe(2);
    expect(count(r, 'connected')).toBe(2);
    expect(live.signal.aborted).toBe(false);
    r.subscription.unsubscribe();
    await r.until(() => live.signal.aborted, 'the live request to be aborted');
  });

  it('unsubscribing aborts a running recovery request', async () => {
    const { served, r } = await outageOf11Minutes();
    const recovery = served.recoveries[0]!;
    expect(recovery.signal.aborted).toBe(false);
    r.subscription.unsubscribe();
    await r.until(() => recovery.signal.aborted, 'the recovery request to be aborted');
    await r.until(() => served.live[1]!.signal.aborted, 'the live request to be aborted');
  });
});
