import { inspect } from 'node:util';
import { StreamClient } from '@birdstream/core';
import { bodyFromChunks, inTurn, useMswServer } from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { fromFilteredStream, type StreamEvent } from '../src/index.js';
import { finished, record } from './support/recorder.js';

const server = useMswServer();
const TOKEN = 'AAAAAAAAAAAAAAAAAAAAArxEchoPart%2Bsecret0123';
const FILTER = 'https://api.x.com/2/tweets/search/stream';

function expectNoToken(value: unknown) {
  const text = `${JSON.stringify(value)}\n${inspect(value, { depth: 20, showHidden: true })}`;
  for (const piece of [TOKEN, decodeURIComponent(TOKEN), 'rxEchoPart']) {
    expect(text).not.toContain(piece);
  }
}

describe('a server that echoes the Authorization header (rx)', () => {
  it('no event or error of the Observable carries the token', async () => {
    const echoed: string[] = [];
    const { handler } = inTurn([
      (request) => {
        const auth = request.headers.get('authorization') ?? '';
        echoed.push(auth);
        return new HttpResponse(
          bodyFromChunks([
            `{"echo": "${auth}" oops\r\n`,
            `${JSON.stringify({ errors: [{ title: 'Echo', detail: auth, type: 'about:blank' }] })}\r\n`,
          ]),
        );
      },
    ]);
    server.use(http.get(FILTER, handler));
    const r = record<StreamEvent<unknown>>(
      fromFilteredStream(new StreamClient({ bearerToken: TOKEN })),
    );
    await r.until(finished, 'the body to end');
    expect(echoed[0]).toBe(`Bearer ${TOKEN}`);
    const kinds = r.values.map((event) => event.type);
    expect(kinds).toContain('payload-invalid');
    expect(kinds).toContain('stream-errors');
    expectNoToken(r.values);
    expectNoToken(r.error);
  });

  it('the error of a refused connection is scrubbed, HTML reduced to its title', async () => {
    server.use(
      http.get(
        FILTER,
        ({ request }) =>
          new HttpResponse(
            `<html><head><title>403 Forbidden</title></head><body>${request.headers.get('authorization')}</body></html>`,
            { status: 403, headers: { 'content-type': 'text/html' } },
          ),
      ),
    );
    const r = record<StreamEvent<unknown>>(
      fromFilteredStream(new StreamClient({ bearerToken: TOKEN })),
    );
    await r.until(finished, 'the error');
    expect(r.error).toMatchObject({ name: 'ForbiddenError', status: 403 });
    expect((r.error as Error).message).toMatch(
      /^X API 403 Forbidden while trying to connect to the filtered stream: "403 Forbidden"\./,
    );
    expectNoToken(r.error);
    expectNoToken(r.values);
  });
});
