import { ConfigError, ConnectionsClient, type ReclaimedEvent } from '@birdstream/core';
import { useMswServer } from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { concat, defer, lastValueFrom, of, take, throwError, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { type ReconnectRequest, reconnectable, retryStream } from '../src/index.js';
import { tooManyConnectionsError } from './support/errors.js';

const server = useMswServer();
const CONNECTIONS = 'https://api.x.com/2/connections';
const STREAM_URL = 'https://api.x.com/2/tweets/search/stream';

/** The Connections API listing an hour-old connection and one newer than the stream. */
function connectionsApi() {
  const kills: string[][] = [];
  const lists: URL[] = [];
  server.use(
    http.get(CONNECTIONS, ({ request }) => {
      lists.push(new URL(request.url));
      return HttpResponse.json({
        data: [
          {
            id: 'old-uuid',
            endpoint_name: 'filtered_stream',
            connected_at: new Date(Date.now() - 3_600_000).toISOString(),
          },
          {
            id: 'new-uuid',
            endpoint_name: 'filtered_stream',
            connected_at: new Date(Date.now() + 60_000).toISOString(),
          },
        ],
      });
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
  return { kills, lists };
}

/** A source whose first connection is refused with 429 TooManyConnections, the next one streams. */
function source() {
  const requests: ReconnectRequest[] = [];
  const observable = reconnectable(({ attempt, backfillMinutes }) =>
    defer(() => {
      requests.push({ attempt, backfillMinutes });
      const connecting = { type: 'connecting', attempt, url: STREAM_URL };
      return requests.length === 1
        ? concat(
            of(connecting),
            throwError(() => tooManyConnectionsError()),
          )
        : of(connecting, { type: 'connected', attempt }, { type: 'response', response: 'post' });
    }),
  );
  return { observable, requests };
}

const client = () => new ConnectionsClient({ bearerToken: 'token', retry: 0 });

describe('retryStream: reclaimStaleConnections', () => {
  it('on 429 TooManyConnections kills only the connection older than the subscription, then reconnects at once', async () => {
    const api = connectionsApi();
    const { observable, requests } = source();
    const values = await lastValueFrom(
      observable.pipe(
        retryStream({ reclaimStaleConnections: { connections: client() } }),
        take(6),
        toArray(),
      ),
    );
    const types = values.map((v) =>
      typeof v === 'object' && v !== null ? (v as { type: string }).type : v,
    );
    expect(types).toEqual([
      'connecting',
      'reclaimed',
      'reconnecting',
      'connecting',
      'connected',
      'response',
    ]);
    expect(api.lists[0]?.searchParams.get('endpoints')).toBe('filtered_stream');
    expect(api.kills).toEqual([['old-uuid']]);
    const reclaimed = values[1] as ReclaimedEvent;
    expect(reclaimed).toMatchObject({ killed: [{ uuid: 'old-uuid', success: true }], kept: 1 });
    expect(values[2]).toMatchObject({ type: 'reconnecting', delayMs: 0 });
    expect(requests).toHaveLength(2);
  });

  it('keep protects a declared sibling: nothing killed, X policy (60 s)', async () => {
    const api = connectionsApi();
    const { observable } = source();
    const values = await lastValueFrom(
      observable.pipe(
        retryStream({
          reclaimStaleConnections: { connections: client(), keep: () => true },
        }),
        take(3),
        toArray(),
      ),
    );
    expect(api.kills).toEqual([]);
    expect(values[1]).toMatchObject({ type: 'reclaimed', killed: [], kept: 2 });
    expect(values[2]).toMatchObject({ type: 'reconnecting', delayMs: 60_000 });
  });

  it('a bad option is a ConfigError', () => {
    expect(() => retryStream({ reclaimStaleConnections: {} as never })).toThrow(ConfigError);
  });
});
