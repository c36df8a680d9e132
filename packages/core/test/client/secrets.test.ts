import { inspect } from 'node:util';
import { ConfigError, StreamClient, type StreamLifecycleEvent } from '@birdstream/core';
import {
  bodyFromChunks,
  controlledBody,
  inTurn,
  ManualClock,
  readFixtureText,
} from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { describe, expect, test } from 'vitest';
import { ofType } from '../helpers/events.js';
import { operationalDisconnectLine, post, postLine } from '../helpers/messages.js';
import { reachableStrings } from '../helpers/secrets.js';
import { followReconnects, run } from '../helpers/stream-runner.js';
import { FILTER, useStreamServer } from '../helpers/stream-server.js';
import { until } from '../helpers/until.js';

const server = useStreamServer();
// Distinctive pieces, so a partial leak (a prefix, an encoded form) is caught too.
const TOKEN = 'AAAAAAAAAAAAAAAAAAAAAMzSecretPart%2FXYZ%3Dtoken1234567890';
const PIECES = [TOKEN, 'MzSecretPart', encodeURIComponent(TOKEN), 'token1234567890'];

function expectNoSecret(...values: unknown[]) {
  const strings = values.flatMap((v) => [
    ...reachableStrings(v),
    inspect(v, { depth: 20, showHidden: true, getters: true }),
  ]);
  expect(strings.length).toBeGreaterThan(0);
  for (const s of strings) for (const piece of PIECES) expect(s).not.toContain(piece);
}

describe('the bearer token never leaks', () => {
  test('a failing stream: errors, their causes, events, URLs and headers', async () => {
    const clock = new ManualClock();
    const seen: Request[] = [];
    const turn = inTurn([
      () => HttpResponse.error(),
      () => new HttpResponse('Bad Gateway', { status: 502, headers: { 'set-cookie': 'a=b' } }),
      () =>
        new HttpResponse(readFixtureText('errors/rules_get_401_unauthorized.json'), {
          status: 401,
          headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer realm="x"' },
        }),
    ]);
    server.use(
      http.get(FILTER, (info) => {
        seen.push(info.request);
        return turn.handler(info);
      }),
    );
    const client = new StreamClient({ bearerToken: TOKEN, clock });
    const stream = client.filter({ 'tweet.fields': ['created_at'] }, { backfill: 'auto' });
    const ctx = run(stream);
    await followReconnects(clock, ctx.events, 2);
    await ctx.done;
    expect(ctx.error).toMatchObject({ name: 'AuthenticationError' });
    // the token was really sent: the scan below is not vacuous
    expect(seen[0]?.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    const errors = ctx.events.flatMap((e) =>
      'reason' in e ? [e.reason] : 'error' in e ? [e.error] : [],
    );
    expect(errors.length).toBeGreaterThanOrEqual(3);
    expectNoSecret(
      ctx.error,
      JSON.stringify(ctx.error),
      ctx.events,
      errors,
      stream,
      client,
      JSON.stringify(client),
    );
  });

  test('a succeeding stream: events, connection objects, stats', async () => {
    const clock = new ManualClock();
    const body = controlledBody();
    const turn = inTurn([
      () => new HttpResponse(body.body, { headers: { 'x-rate-limit-remaining': '49' } }),
      () => new HttpResponse(bodyFromChunks([postLine('2'), operationalDisconnectLine()])),
    ]);
    server.use(http.get(FILTER, turn.handler));
    const client = new StreamClient({ bearerToken: TOKEN, clock });
    const stream = client.filter({}, { backfill: 2 });
    const ctx = run(stream);
    await until(() => ofType(ctx.events, 'connected').length === 1, 'connected');
    body.message(post('1'));
    body.keepAlive();
    body.push('{"not json\r\n');
    await until(() => ctx.posts.length === 1 && stream.stats.invalid === 1, 'post and invalid');
    body.fail();
    await followReconnects(clock, ctx.events, 1);
    await until(() => ctx.posts.length === 2, 'second post');
    server.use(
      http.get(
        'https://api.x.com/2/tweets/sample/stream',
        () => new HttpResponse(bodyFromChunks([postLine('3')])),
      ),
    );
    const connection = await client.connect('sample', {});
    const messages: unknown[] = [];
    for await (const message of connection) messages.push(message);
    expect(messages).toHaveLength(1);
    const types = new Set(ctx.events.map((e: StreamLifecycleEvent) => e.type));
    for (const type of [
      'connecting',
      'connected',
      'keep-alive',
      'payload-invalid',
      'disconnected',
      'reconnecting',
      'backfill',
      'stream-errors',
    ]) {
      expect(types).toContain(type);
    }
    expectNoSecret(ctx.events, ctx.posts, stream.stats, stream, client, connection, messages);
  });

  test('config errors about the token never repeat it', () => {
    for (const bad of [`${TOKEN} extra`, `${TOKEN}\nX-Injected: 1`, ` Bearer  ${TOKEN}\u0000`]) {
      let error: unknown;
      try {
        new StreamClient({ bearerToken: bad });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expectNoSecret(error);
    }
  });
});
