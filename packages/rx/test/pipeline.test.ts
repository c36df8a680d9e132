import { isStallError, StreamClient } from '@birdstream/core';
import { inTurn, neverEndingBody, readFixtureText, useMswServer } from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import {
  dedupeById,
  fromFilteredStream,
  heartbeatTimeout,
  resolveIncludes,
  responses,
  retryStream,
} from '../src/index.js';
import { record, types } from './support/recorder.js';

const server = useMswServer();
const FILTER = 'https://api.x.com/2/tweets/search/stream';
const line = (file: string) => `${readFixtureText(`stream/twarc-csv/${file}`).trim()}\r\n`;
const MSG_00 = 'msg_00_tweet_1377650090978992134.json';
const MSG_01 = 'msg_01_tweet_1377650093109743620.json';

/** A virtual clock for RxJS: `advanceTo(ms)` runs every timer due by then, and no later one. */
function virtualClock() {
  const scheduler = new VirtualTimeScheduler(VirtualAction, 0);
  return {
    scheduler,
    advanceTo(ms: number) {
      scheduler.maxFrames = ms;
      scheduler.flush();
    },
  };
}

describe('a full pipeline over HTTP', () => {
  it('stalls, aborts the dead request, reconnects with backfill and drops the redelivered post', async () => {
    const dead = neverEndingBody([line(MSG_00)]);
    const second = neverEndingBody(['\r\n', line(MSG_00), line(MSG_01)]);
    const { handler, requests } = inTurn([
      () => new HttpResponse(dead.body),
      () => new HttpResponse(second.body),
    ]);
    server.use(http.get(FILTER, handler));
    const clock = virtualClock();

    const client = new StreamClient({ bearerToken: 'test-token' });
    const events = fromFilteredStream(
      client,
      { expansions: ['author_id'] },
      { scheduler: clock.scheduler },
    ).pipe(
      heartbeatTimeout(30_000, clock.scheduler),
      retryStream({ backfill: 'auto', scheduler: clock.scheduler }),
      dedupeById(),
    );
    const r = record(events);
    await r.until((x) => types(x).includes('response'), 'the first post');

    // 30 s of silence on the virtual clock: the heartbeat fires and the request is aborted.
    clock.advanceTo(30_000);
    await r.until(() => requests[0]!.signal.aborted, 'the stalled request to be aborted');
    // Alive only until its last byte (0 ms): not healthy, so X's 250 ms network back-off.
    clock.advanceTo(30_250);
    await r.until(
      (x) => x.values.filter((e) => e.type === 'response').length === 2,
      'the second post',
    );

    expect(requests).toHaveLength(2);
    expect(new URL(requests[0]!.url).searchParams.get('backfill_minutes')).toBeNull();
    expect(new URL(requests[1]!.url).searchParams.get('backfill_minutes')).toBe('1');
    expect(types(r)).toEqual([
      'connecting',
      'connected',
      'response', // 1377650090978992134
      'stalled',
      'disconnected',
      'reconnecting',
      'connecting',
      'connected',
      'backfill', // announced once the connection is up
      'keep-alive',
      // 1377650090978992134 again (backfill): dropped by dedupeById
      'response', // 1377650093109743620
    ]);
    type Event = (typeof r.values)[number];
    const byType = <T extends Event['type']>(type: T) =>
      r.values.filter((e): e is Extract<Event, { type: T }> => e.type === type);
    const [disconnected] = byType('disconnected');
    expect(isStallError(disconnected!.reason)).toBe(true);
    expect(disconnected).toMatchObject({ durationMs: 30_000, healthy: false });
    expect(byType('reconnecting')[0]).toMatchObject({
      attempt: 1,
      delayMs: 250,
      failure: 'network',
    });
    expect(byType('backfill')).toEqual([
      { type: 'backfill', minutes: 1, outageMs: 30_250, exceedsWindow: false },
    ]);
    expect(byType('connecting')[1]).toEqual({
      type: 'connecting',
      attempt: 1,
      backfillMinutes: 1,
      url: requests[1]!.url,
    });
    expect(byType('keep-alive')).toEqual([{ type: 'keep-alive', at: 30_250 }]);

    expect(requests[1]!.signal.aborted).toBe(false);
    r.subscription.unsubscribe();
    await r.until(() => requests[1]!.signal.aborted, 'the live request to be aborted');
  });

  it('turns events into hydrated posts with responses() and resolveIncludes()', async () => {
    const body = neverEndingBody([line(MSG_00), '\r\n', line(MSG_01)]);
    server.use(http.get(FILTER, () => new HttpResponse(body.body)));
    const client = new StreamClient({ bearerToken: 'test-token' });
    const posts = fromFilteredStream(client, {
      expansions: ['author_id', 'geo.place_id', 'attachments.media_keys'],
      'user.fields': ['username'],
    }).pipe(retryStream(), responses(), resolveIncludes());
    const r = record(posts);
    await r.until((x) => x.values.length === 2, 'two posts');
    r.subscription.unsubscribe();
    const [first, second] = r.values;
    expect(first!.author?.username).toBe('blackheart_265');
    expect(first!.media.map((m) => m.media_key)).toEqual(['3_1377650087799754753']);
    expect(first!.place?.full_name).toBe('Malawi');
    expect(second!.post.id).toBe('1377650093109743620');
  });
});
