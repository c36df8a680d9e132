import {
  ConfigError,
  ConnectionsClient,
  isTooManyConnectionsError,
  StreamClient,
  type StreamOptions,
} from '@birdstream/core';
import { controlledBody, inTurn, ManualClock, readFixtureText } from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { describe, expect, test } from 'vitest';
import { ofType } from '../helpers/events.js';
import { run } from '../helpers/stream-runner.js';
import { FILTER, useStreamServer } from '../helpers/stream-server.js';
import { until } from '../helpers/until.js';

const server = useStreamServer();
const CONNECTIONS = 'https://api.x.com/2/connections';
const tooManyConnections = readFixtureText(
  'errors/stream_connect_429_too_many_connections_2020.json',
);
const status429 = () =>
  new HttpResponse(tooManyConnections, {
    status: 429,
    headers: { 'content-type': 'application/json' },
  });

/** A stream whose connects answer in turn, and an emulated Connections API listing `listed`. */
function start(
  responders: Parameters<typeof inTurn>[0],
  listed: (clock: ManualClock) => object[] | Response,
  options: StreamOptions = { reclaimStaleConnections: true },
) {
  const clock = new ManualClock();
  const turn = inTurn(responders);
  const lists: URL[] = [];
  const kills: unknown[] = [];
  server.use(
    http.get(FILTER, turn.handler),
    http.get(CONNECTIONS, ({ request }) => {
      lists.push(new URL(request.url));
      const answer = listed(clock);
      return answer instanceof Response ? answer : HttpResponse.json({ data: answer });
    }),
    http.delete(CONNECTIONS, async ({ request }) => {
      const { uuids } = (await request.json()) as { uuids: string[] };
      kills.push(uuids);
      return HttpResponse.json({
        data: {
          successful_kills: uuids.length,
          failed_kills: 0,
          results: uuids.map((uuid) => ({ uuid, success: true })),
        },
      });
    }),
  );
  const stream = new StreamClient({ bearerToken: 'token', clock }).filter({}, options);
  return Object.assign(run(stream), { clock, stream, requests: turn.requests, lists, kills });
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('reclaimStaleConnections', () => {
  test('a 429 TooManyConnections kills only the connection older than the stream and reconnects at once', async () => {
    const live = controlledBody();
    const ctx = start([status429, () => new HttpResponse(live.body)], (clock) => [
      // a crashed process's connection, an hour old: stale
      {
        id: 'old-uuid',
        endpoint_name: 'filtered_stream',
        connected_at: iso(clock.now() - 3_600_000),
      },
      // one that connected after this stream started (a sibling of ours): kept
      { id: 'new-uuid', endpoint_name: 'filtered_stream', connected_at: iso(clock.now() + 1_000) },
    ]);
    const startedAt = ctx.clock.now();
    await until(() => ofType(ctx.events, 'connected').length === 1, 'the reconnect');
    // no back-off: the clock never moved, no timer was waited for
    expect(ctx.clock.now()).toBe(startedAt);
    expect(ctx.requests).toHaveLength(2);
    expect(ctx.lists[0]?.searchParams.get('endpoints')).toBe('filtered_stream');
    expect(ctx.lists[0]?.searchParams.get('status')).toBe('active');
    expect(ctx.kills).toEqual([['old-uuid']]);
    const [reclaimed] = ofType(ctx.events, 'reclaimed');
    expect(reclaimed).toMatchObject({
      killed: [{ uuid: 'old-uuid', success: true }],
      kept: 1,
      reason: expect.stringMatching(
        /Killed 1 of 1 filtered_stream connection.*reconnecting at once/,
      ),
    });
    const [reconnecting] = ofType(ctx.events, 'reconnecting');
    expect(reconnecting?.delayMs).toBe(0);
    expect(isTooManyConnectionsError(reconnecting?.reason)).toBe(true);
    await ctx.stream.close();
    await ctx.done;
  });

  test('once per episode: a second 429 in a row backs off per X (60 s) without listing again', async () => {
    const ctx = start([status429], (clock) => [
      { id: 'old-uuid', endpoint_name: 'filtered_stream', connected_at: iso(clock.now() - 60_000) },
    ]);
    await until(() => ofType(ctx.events, 'reconnecting').length === 2, 'the second reconnect');
    expect(ofType(ctx.events, 'reconnecting').map((e) => e.delayMs)).toEqual([0, 60_000]);
    expect(ctx.lists).toHaveLength(1);
    expect(ctx.kills).toHaveLength(1);
    await ctx.stream.close();
    await ctx.done;
  });

  test('nothing stale, or kept by `keep`: no kill, the reclaimed event says why, X policy', async () => {
    const ctx = start(
      [status429],
      (clock) => [
        {
          id: 'sibling',
          endpoint_name: 'filtered_stream',
          connected_at: iso(clock.now() - 60_000),
          client_ip: '10.0.0.2',
        },
      ],
      { reclaimStaleConnections: { keep: (c) => c.client_ip === '10.0.0.2' } },
    );
    await until(() => ofType(ctx.events, 'reconnecting').length === 1, 'the reconnect');
    expect(ctx.kills).toEqual([]);
    const [reclaimed] = ofType(ctx.events, 'reclaimed');
    expect(reclaimed).toMatchObject({ killed: [], kept: 1 });
    expect(reclaimed?.reason).toMatch(/waiting per X's policy/);
    expect(ofType(ctx.events, 'reconnecting')[0]).toMatchObject({
      delayMs: 60_000,
      failure: 'too-many-connections',
    });
    await ctx.stream.close();
    await ctx.done;
  });

  test('a listing failure is an event, never fatal: the stream backs off per X', async () => {
    const ctx = start(
      [status429],
      () => new HttpResponse('forbidden', { status: 403 }),
      // a client without retries, so the failure is immediate
      {
        reclaimStaleConnections: {
          connections: new ConnectionsClient({ bearerToken: 'token', retry: 0 }),
        },
      },
    );
    await until(() => ofType(ctx.events, 'reconnecting').length === 1, 'the reconnect');
    const [reclaimed] = ofType(ctx.events, 'reclaimed');
    expect(reclaimed?.error).toBeDefined();
    expect(reclaimed?.reason).toMatch(/^Could not list the filtered_stream connections/);
    expect(ofType(ctx.events, 'reconnecting')[0]?.delayMs).toBe(60_000);
    expect(ofType(ctx.events, 'error')).toEqual([]);
    await ctx.stream.close();
    await ctx.done;
  });

  test('a bad option is a ConfigError; a stream without a Connections API id refuses it', () => {
    const client = new StreamClient({ bearerToken: 'token' });
    expect(() => client.filter({}, { reclaimStaleConnections: { keep: 'x' as never } })).toThrow(
      ConfigError,
    );
    expect(() => client.activity({}, { reclaimStaleConnections: true })).toThrow(
      /not available for the activity stream/,
    );
  });
});
