import { inspect } from 'node:util';
import { StreamClient, type StreamLifecycleEvent } from '@birdstream/core';
import { bodyFromChunks, inTurn, ManualClock } from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { describe, expect, test } from 'vitest';
import { ofType } from '../helpers/events.js';
import { post, postLine } from '../helpers/messages.js';
import { reachableStrings } from '../helpers/secrets.js';
import { followReconnects, run } from '../helpers/stream-runner.js';
import { FILTER, useStreamServer } from '../helpers/stream-server.js';

const server = useStreamServer();
const TOKEN = 'AAAAAAAAAAAAAAAAAAAAAMzEchoedPart%2FXYZ%3Decho1234567890';
const base64 = (text: string) => Buffer.from(text).toString('base64');
// every form the token could come back in, and distinctive pieces of it
const PIECES = [
  TOKEN,
  'MzEchoedPart',
  'echo1234567890',
  decodeURIComponent(TOKEN),
  encodeURIComponent(TOKEN),
  base64(TOKEN).slice(4, -4),
];

function expectNoToken(...values: unknown[]) {
  const strings = values.flatMap((v) => [
    ...reachableStrings(v),
    inspect(v, { depth: 20, showHidden: true, getters: true }),
  ]);
  expect(strings.length).toBeGreaterThan(0);
  for (const s of strings) for (const piece of PIECES) expect(s).not.toContain(piece);
}

/** What a careless proxy or server sends back: the header, decoded, and base64-encoded. */
function echo(request: Request): string {
  const header = request.headers.get('authorization') ?? '';
  return `${header} (${decodeURIComponent(header)}) basic=${base64(`user:${header.slice(7)}`)}`;
}

describe('a server that echoes the Authorization header', () => {
  test('no error, event or JSON carries the token: HTML page, invalid line, in-band error, problem detail', async () => {
    const clock = new ManualClock();
    const echoed: string[] = [];
    const turn = inTurn([
      (request) => {
        const text = echo(request);
        echoed.push(text);
        return new HttpResponse(
          `<!DOCTYPE html><html><head><title>502 Bad Gateway</title><style>body{}</style></head><body><h1>Bad Gateway</h1><pre>${text}</pre></body></html>`,
          { status: 502, headers: { 'content-type': 'text/html' } },
        );
      },
      (request) => {
        const text = echo(request);
        return new HttpResponse(
          bodyFromChunks([
            postLine('1'),
            `{"echo": "${text}" not json\r\n`,
            `${JSON.stringify({ errors: [{ title: 'Echo', detail: text, type: 'about:blank' }] })}\r\n`,
            postLine('2'),
          ]),
        );
      },
      (request) =>
        HttpResponse.json(
          { title: 'Unauthorized', type: 'about:blank', status: 401, detail: echo(request) },
          { status: 401 },
        ),
    ]);
    server.use(http.get(FILTER, turn.handler));
    const client = new StreamClient({ bearerToken: TOKEN, clock });
    const stream = client.filter();
    const ctx = run(stream);
    await followReconnects(clock, ctx.events, 2);
    await ctx.done;

    // the server really echoed the token: the scan below is not vacuous
    expect(echoed[0]).toContain(TOKEN);
    expect(ctx.posts).toEqual([post('1'), post('2')]);
    expect(ctx.error).toMatchObject({ name: 'AuthenticationError', status: 401 });
    const types = new Set(ctx.events.map((e: StreamLifecycleEvent) => e.type));
    for (const type of ['reconnecting', 'payload-invalid', 'stream-errors', 'closed', 'error']) {
      expect(types).toContain(type);
    }
    const [gateway] = ofType(ctx.events, 'reconnecting');
    // item 5: the page's title at most, never its markup
    expect(gateway?.reason.message).toBe(
      'X API 502 Bad Gateway while trying to connect to the filtered stream: "502 Bad Gateway".',
    );
    const [inBand] = ofType(ctx.events, 'stream-errors');
    expect(inBand?.errors[0]?.detail).toContain('Bearer [redacted]');
    expect((ctx.error as { detail: string }).detail).toContain('Bearer [redacted]');
    expectNoToken(
      ctx.error,
      JSON.stringify(ctx.error),
      ctx.events,
      JSON.stringify(ctx.events),
      ofType(ctx.events, 'payload-invalid').map((e) => e.error),
      stream,
      stream.stats,
    );
  });

  test('connect(): the error of a single connection is scrubbed too', async () => {
    server.use(
      http.get(
        FILTER,
        ({ request }) =>
          new HttpResponse(`Forbidden for ${echo(request)}`, {
            status: 403,
            headers: { 'content-type': 'text/plain' },
          }),
      ),
    );
    const client = new StreamClient({ bearerToken: TOKEN });
    const error = await client.connect('filter', {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ForbiddenError', status: 403 });
    expect((error as Error).message).toMatch(
      /^X API 403 Forbidden while trying to connect to the filtered stream: Forbidden for Bearer \[redacted\]/,
    );
    expectNoToken(error, JSON.stringify(error));
  });
});
