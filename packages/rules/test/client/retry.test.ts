import {
  isAbortedError,
  isConnectionError,
  isRateLimitError,
  isServerError,
} from '@birdstream/core';
import { recordedResponse, useMswServer } from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { preloadRestClients, RulesClient } from '../../src/index.js';
import { BASE, RULES_URL, TOKEN } from '../support/server.js';

const server = useMswServer();
const NOW = Date.UTC(2026, 0, 1);
const EMPTY = { meta: { sent: 'x', result_count: 0 } };
const ADDED = {
  data: [{ id: '1', value: 'cat' }],
  meta: { sent: 'x', summary: { created: 1, not_created: 0, valid: 1, invalid: 0 } },
};

// The REST clients load ky on first use (real I/O, which fake timers cannot advance).
beforeAll(() => preloadRestClients());
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Answers with each response in turn and records when (virtual time) each request came. */
function sequence(method: 'get' | 'post', ...responses: (() => Response)[]) {
  const times: number[] = [];
  server.use(
    http[method](RULES_URL, () => {
      times.push(Date.now() - NOW);
      const next = responses[Math.min(times.length - 1, responses.length - 1)]!;
      return next();
    }),
  );
  return times;
}

const unavailable = () => HttpResponse.json({ title: 'Service Unavailable' }, { status: 503 });

describe('GET is retried with backoff', () => {
  test('503, 503, 200: waits 300 ms then 600 ms (virtual time)', async () => {
    const times = sequence('get', unavailable, unavailable, () => HttpResponse.json(EMPTY));
    const rules = new RulesClient({ bearerToken: TOKEN, baseUrl: BASE }).list();
    await vi.advanceTimersByTimeAsync(299);
    expect(times).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1);
    expect(times).toEqual([0, 300]);
    await vi.advanceTimersByTimeAsync(600);
    expect(times).toEqual([0, 300, 900]);
    await expect(rules).resolves.toEqual([]);
  });

  test('gives up after the retry limit with a ServerError', async () => {
    const times = sequence('get', unavailable);
    const rules = new RulesClient({ bearerToken: TOKEN, baseUrl: BASE })
      .list()
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(times).toEqual([0, 300, 900]);
    expect(isServerError(await rules)).toBe(true);
  });

  test('network errors are retried, then a ConnectionError', async () => {
    const times = sequence('get', () => HttpResponse.error());
    const rules = new RulesClient({ bearerToken: TOKEN, baseUrl: BASE, retry: 1 })
      .list()
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(times).toEqual([0, 300]);
    const error = await rules;
    expect(isConnectionError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /^Could not reach X while trying to list the filtered stream rules/,
    );
  });

  test('429 waits until x-rate-limit-reset (ky reads X header natively)', async () => {
    const reset = String(Math.floor(NOW / 1000) + 60);
    const times = sequence(
      'get',
      () =>
        HttpResponse.json(
          {
            title: 'Too Many Requests',
            type: 'about:blank',
            status: 429,
            detail: 'Too Many Requests',
          },
          {
            status: 429,
            headers: {
              'x-rate-limit-limit': '450',
              'x-rate-limit-remaining': '0',
              'x-rate-limit-reset': reset,
            },
          },
        ),
      () => HttpResponse.json(EMPTY),
    );
    const rules = new RulesClient({ bearerToken: TOKEN, baseUrl: BASE }).list();
    await vi.advanceTimersByTimeAsync(59_999);
    expect(times).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1);
    expect(times).toEqual([0, 60_000]);
    await expect(rules).resolves.toEqual([]);
  });

  test.each([
    ['errors/rest_429_rate_limit_plaintext_2020.txt', /Rate limit exceeded/],
    ['errors/rest_429_too_many_requests_json_2021.json', /Too Many Requests/],
  ])(
    'recorded %s, retries off: a RateLimitError with the rate-limit headers',
    async (file, message) => {
      sequence('get', () => recordedResponse(file));
      const error = await new RulesClient({ bearerToken: TOKEN, baseUrl: BASE, retry: 0 })
        .list()
        .catch((e: unknown) => e);
      expect(isRateLimitError(error)).toBe(true);
      expect((error as Error).message).toMatch(message);
      if (file.endsWith('.txt')) {
        expect(error).toMatchObject({
          rateLimit: { limit: 15, remaining: 0, resetAtMs: 1593185073000 },
        });
      }
    },
  );
});

describe('POST is not retried unless asked', () => {
  test('a 503 on add fails at once', async () => {
    const times = sequence('post', unavailable, () => HttpResponse.json(ADDED, { status: 201 }));
    const pending = new RulesClient({ bearerToken: TOKEN, baseUrl: BASE })
      .add([{ value: 'cat' }])
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(times).toEqual([0]);
    expect(isServerError(await pending)).toBe(true);
  });

  test('a 429 on delete fails at once even with a reset header', async () => {
    const times = sequence('post', () =>
      HttpResponse.json(
        { title: 'Too Many Requests' },
        { status: 429, headers: { 'x-rate-limit-reset': String(NOW / 1000 + 5) } },
      ),
    );
    const pending = new RulesClient({ bearerToken: TOKEN, baseUrl: BASE })
      .delete({ ids: ['1'] })
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(times).toEqual([0]);
    expect(isRateLimitError(await pending)).toBe(true);
  });

  test("opting in with retry.methods ['get', 'post'] retries add", async () => {
    const times = sequence('post', unavailable, () => HttpResponse.json(ADDED, { status: 201 }));
    const added = new RulesClient({
      bearerToken: TOKEN,
      baseUrl: BASE,
      retry: { methods: ['get', 'post'] },
    }).add([{ value: 'cat' }]);
    await vi.advanceTimersByTimeAsync(300);
    expect(times).toEqual([0, 300]);
    await expect(added).resolves.toMatchObject({ status: 201, ok: true });
  });
});

describe('cancellation and timeouts', () => {
  test('an already aborted signal sends nothing', async () => {
    const times = sequence('get', () => HttpResponse.json(EMPTY));
    const controller = new AbortController();
    controller.abort();
    const error = await new RulesClient({ bearerToken: TOKEN, baseUrl: BASE })
      .list({ signal: controller.signal })
      .catch((e: unknown) => e);
    expect(isAbortedError(error)).toBe(true);
    expect((error as Error).message).toBe(
      'The request to list the filtered stream rules was aborted.',
    );
    expect(times).toEqual([]);
  });

  test('aborting during a retry wait rejects at once with AbortedError and sends nothing more', async () => {
    const times = sequence('get', unavailable);
    const controller = new AbortController();
    const rules = new RulesClient({ bearerToken: TOKEN, baseUrl: BASE })
      .list({ signal: controller.signal })
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    expect(isAbortedError(await rules)).toBe(true);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(times).toEqual([0]);
  });

  test('aborting while X is answering rejects with AbortedError', async () => {
    const controller = new AbortController();
    server.use(
      http.get(RULES_URL, async () => {
        controller.abort();
        await new Promise(() => {});
        return HttpResponse.json(EMPTY);
      }),
    );
    const error = await new RulesClient({ bearerToken: TOKEN, baseUrl: BASE })
      .list({ signal: controller.signal })
      .catch((e: unknown) => e);
    expect(isAbortedError(error)).toBe(true);
  });

  test('no answer within timeoutMs is a ConnectionError', async () => {
    server.use(
      http.get(RULES_URL, async () => {
        await new Promise(() => {});
        return HttpResponse.json(EMPTY);
      }),
    );
    const rules = new RulesClient({ bearerToken: TOKEN, baseUrl: BASE, timeoutMs: 2_000, retry: 0 })
      .list()
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(2_000);
    const error = await rules;
    expect(isConnectionError(error)).toBe(true);
    expect((error as Error).message).toBe(
      'X did not answer within 2000 ms while trying to list the filtered stream rules; check the network, or raise timeoutMs.',
    );
  });
});
