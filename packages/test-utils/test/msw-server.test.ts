import { HttpResponse, http } from 'msw';
import { describe, expect, test, vi } from 'vitest';
import {
  heldResponse,
  inTurn,
  readFixtureText,
  recordedResponse,
  useMswServer,
} from '../src/index.js';

const server = useMswServer();
const URL_A = 'https://api.x.com/a';

/** Lets pending I/O and microtasks run, until `predicate` holds (bounded). */
async function until(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 1_000 && !predicate(); i++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  expect(predicate()).toBe(true);
}

/**
 * Runs `body` while capturing console.error, where msw reports an unhandled
 * request: the report is asserted here instead of being printed into the log
 * of a passing run.
 */
async function capturingConsoleError(body: () => Promise<void>): Promise<string> {
  const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    await body();
    return spy.mock.calls.map((args) => args.map(String).join(' ')).join('\n');
  } finally {
    spy.mockRestore();
  }
}

describe('useMswServer', () => {
  test('a request no handler expects fails instead of reaching the network', async () => {
    const printed = await capturingConsoleError(async () => {
      await expect(fetch('https://api.x.com/unexpected')).rejects.toThrow();
    });
    expect(printed).toMatch(
      /\[MSW\] Error: intercepted a request without a matching request handler/,
    );
    expect(printed).toContain('GET https://api.x.com/unexpected');
  });

  test('handlers of one test are gone in the next (1/2)', async () => {
    server.use(http.get(URL_A, () => HttpResponse.text('a')));
    await expect((await fetch(URL_A)).text()).resolves.toBe('a');
  });

  test('handlers of one test are gone in the next (2/2)', async () => {
    const printed = await capturingConsoleError(async () => {
      await expect(fetch(URL_A)).rejects.toThrow();
    });
    expect(printed).toContain(`GET ${URL_A}`);
  });
});

describe('inTurn', () => {
  test('answers the n-th request with the n-th responder, repeats the last, records requests', async () => {
    const turn = inTurn([
      () => new HttpResponse('first', { status: 503 }),
      (request) => HttpResponse.text(`again ${new URL(request.url).search}`),
    ]);
    server.use(http.get(URL_A, turn.handler));
    const answers: string[] = [];
    for (const query of ['?n=1', '?n=2', '?n=3']) {
      const response = await fetch(`${URL_A}${query}`);
      answers.push(`${response.status} ${await response.text()}`);
    }
    expect(answers).toEqual(['503 first', '200 again ?n=2', '200 again ?n=3']);
    expect(turn.requests.map((r) => new URL(r.url).search)).toEqual(['?n=1', '?n=2', '?n=3']);
  });

  test('refuses an empty list', () => {
    expect(() => inTurn([])).toThrow(/at least one responder/);
  });
});

describe('heldResponse', () => {
  test('holds the request until released, then answers it', async () => {
    const held = heldResponse(() => HttpResponse.text('late'));
    server.use(http.get(URL_A, held.handler));
    let answered = false;
    const pending = fetch(URL_A).then((response) => {
      answered = true;
      return response.text();
    });
    await until(() => held.requests.length === 1);
    for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    held.release();
    await expect(pending).resolves.toBe('late');
  });
});

describe('recordedResponse', () => {
  test('has the recorded status and headers, minus the encoding of the stored body', async () => {
    const response = recordedResponse('errors/rules_get_401_unauthorized.json');
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('x-connection-hash')).toBe('d3ecb7f3763b04c3289e94d8bdbbf298');
    expect(response.headers.has('content-encoding')).toBe(false);
    expect(await response.json()).toMatchObject({ title: 'Unauthorized', status: 401 });
  });

  test('takes a fallback status for bodies recorded without one', async () => {
    const file = 'stream/twarc-csv/msg_04_operational_disconnect_error.json';
    expect(() => recordedResponse(file)).toThrow(/no recorded status; pass one/);
    const response = recordedResponse(file, 200);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.text()).toBe(readFixtureText(file));
  });

  test('a recorded status without recorded headers is served as JSON', () => {
    const response = recordedResponse(
      'errors/stream_connect_409_rule_configuration_issue_no_rules.json',
    );
    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toBe('application/json');
  });

  test('refuses a file that is not in the index', () => {
    expect(() => recordedResponse('errors/nope.json', 400)).toThrow(/No fixture errors\/nope.json/);
  });
});
