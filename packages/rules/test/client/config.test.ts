import { isConfigError, MAX_ERROR_BODY_BYTES } from '@birdstream/core';
import { useMswServer } from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { describe, expect, test } from 'vitest';
import { DEFAULT_BASE_URL, RulesClient, type RulesClientOptions } from '../../src/index.js';
import { TOKEN } from '../support/server.js';

const server = useMswServer();
const EMPTY = { meta: { sent: 'x', result_count: 0 } };

function configError(options: unknown): Error {
  try {
    new RulesClient(options as RulesClientOptions);
  } catch (error) {
    expect(isConfigError(error)).toBe(true);
    return error as Error;
  }
  throw new Error('expected a ConfigError');
}

describe('options', () => {
  test.each([
    [undefined, /needs options/],
    [{}, /^No bearer token: pass the bearerToken option or set X_BEARER_TOKEN/],
    [{ bearerToken: '   ' }, /^No bearer token: pass the bearerToken option/],
    [{ bearerToken: `${TOKEN} extra` }, /spaces, control or non-ASCII/],
    [{ bearerToken: `Bearer ${TOKEN}\u0000` }, /spaces, control or non-ASCII/],
    [{ bearerToken: TOKEN, baseUrl: 'api.x.com' }, /baseUrl must be an absolute http\(s\) URL/],
    [{ bearerToken: TOKEN, baseUrl: 'ftp://api.x.com' }, /baseUrl must use http or https/],
    [{ bearerToken: TOKEN, baseUrl: 'https://user:pw@api.x.com' }, /must not contain credentials/],
    [{ bearerToken: TOKEN, baseUrl: 'https://api.x.com/?a=1' }, /query string/],
    [{ bearerToken: TOKEN, timeoutMs: 0 }, /timeoutMs must be a whole number/],
  ])('%j is refused', (options, message) => {
    expect(configError(options).message).toMatch(message);
  });

  test('the token follows core\'s one contract: trimmed, one "Bearer " prefix removed', async () => {
    const seen: (string | null)[] = [];
    server.use(
      http.get('https://api.x.com/2/tweets/search/stream/rules', ({ request }) => {
        seen.push(request.headers.get('authorization'));
        return HttpResponse.json(EMPTY);
      }),
    );
    for (const bearerToken of [`Bearer ${TOKEN}`, `  ${TOKEN}\n`, `bearer ${TOKEN}`]) {
      await new RulesClient({ bearerToken }).list();
    }
    expect(seen).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
  });

  test("an error body is read up to core's cap, not whole", async () => {
    let pulled = 0;
    server.use(
      http.get('https://api.x.com/2/tweets/search/stream/rules', () => {
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            pulled += 1;
            controller.enqueue(new Uint8Array(16 * 1024).fill(0x61));
          },
        });
        return new HttpResponse(body, { status: 400, headers: { 'content-type': 'text/plain' } });
      }),
    );
    const error = await new RulesClient({ bearerToken: TOKEN }).list().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'BadRequestError', status: 400 });
    expect((error as { bodyText: string }).bodyText.length).toBe(MAX_ERROR_BODY_BYTES);
    expect(pulled).toBeLessThan(20);
  });

  test('defaults to https://api.x.com', async () => {
    const client = new RulesClient({ bearerToken: TOKEN });
    expect(client.baseUrl).toBe(DEFAULT_BASE_URL);
    server.use(
      http.get('https://api.x.com/2/tweets/search/stream/rules', () => HttpResponse.json(EMPTY)),
    );
    await expect(client.list()).resolves.toEqual([]);
  });

  test('keeps a path prefix of baseUrl (a proxy or an emulator) and sends the userAgent prefix', async () => {
    const seen: { url: string; userAgent: string | null }[] = [];
    server.use(
      http.get('http://localhost:8787/x-api/2/tweets/search/stream/rules', ({ request }) => {
        seen.push({ url: request.url, userAgent: request.headers.get('user-agent') });
        return HttpResponse.json(EMPTY);
      }),
    );
    const client = new RulesClient({
      bearerToken: TOKEN,
      baseUrl: 'http://localhost:8787/x-api/',
      userAgent: 'my-monitor/2.1',
    });
    await client.list();
    expect(seen).toEqual([
      {
        url: 'http://localhost:8787/x-api/2/tweets/search/stream/rules',
        userAgent: expect.stringMatching(/^my-monitor\/2\.1 birdstream-rules\/\S+$/),
      },
    ]);
  });

  test('uses the fetch it is given', async () => {
    const calls: string[] = [];
    const fetch: typeof globalThis.fetch = async (input) => {
      calls.push((input as Request).url);
      return Response.json(EMPTY);
    };
    await new RulesClient({ bearerToken: TOKEN, fetch }).list({ maxResults: 10 });
    expect(calls).toEqual(['https://api.x.com/2/tweets/search/stream/rules?max_results=10']);
  });
});
