import { readFixtureJson, readFixtureText } from '@birdstream/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { api, RULES } from './helpers/raw-stream.js';

let emu: Emulator;
beforeEach(async () => {
  emu = await startEmulator({
    seed: 7,
    bearerToken: 'test-token',
    startTime: Date.UTC(2026, 5, 1),
  });
});
afterEach(async () => {
  await emu.close();
});

type Rule = { id: string; value: string; tag?: string };

describe('authentication', () => {
  it('answers 401 with X body and no rate-limit headers without a token, or with a wrong one', async () => {
    for (const token of [null, 'wrong-token']) {
      const res = await api(emu.url, RULES, { token });
      expect(res.status).toBe(401);
      expect(res.json).toEqual(readFixtureJson('errors/rules_get_401_unauthorized.json'));
      expect(res.headers.get('x-rate-limit-limit')).toBeNull();
      expect(res.text).not.toContain('wrong-token');
    }
  });

  it('refuses OAuth 1.0a user context with 403 unsupported-authentication', async () => {
    const res = await api(emu.url, RULES, {
      token: null,
      headers: { authorization: 'OAuth oauth_consumer_key="k"' },
    });
    expect(res.status).toBe(403);
    expect(res.json).toEqual(
      readFixtureJson('errors/unsupported_authentication_403_user_context_forbidden.json'),
    );
  });

  it('accepts any bearer token when none is configured', async () => {
    const open = await startEmulator();
    try {
      expect((await api(open.url, RULES, { token: 'anything' })).status).toBe(200);
      expect((await api(open.url, RULES, { token: null })).status).toBe(401);
    } finally {
      await open.close();
    }
  });
});

describe('GET rules', () => {
  it('has no data and result_count 0 when empty, with rate-limit headers counting down', async () => {
    const first = await api(emu.url, RULES);
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ meta: { sent: expect.any(String), result_count: 0 } });
    expect(
      new Date(first.json.meta ? (first.json.meta as { sent: string }).sent : 0).getTime(),
    ).toBeGreaterThanOrEqual(Date.UTC(2026, 5, 1));
    const second = await api(emu.url, RULES);
    expect(first.headers.get('x-rate-limit-limit')).toBe('450');
    expect(first.headers.get('x-rate-limit-remaining')).toBe('449');
    expect(second.headers.get('x-rate-limit-remaining')).toBe('448');
    const reset = Number(first.headers.get('x-rate-limit-reset'));
    expect(reset * 1000).toBeGreaterThan(Date.UTC(2026, 5, 1));
    expect(reset * 1000).toBeLessThanOrEqual(Date.UTC(2026, 5, 1) + 15 * 60_000 + 60_000);
  });

  it('filters by ids and paginates with max_results and next_token', async () => {
    await api(emu.url, RULES, {
      method: 'POST',
      body: { add: [{ value: 'cat' }, { value: 'dog' }, { value: 'coffee', tag: 'c' }] },
    });
    const all = (await api(emu.url, RULES)).json.data as Rule[];
    expect(all.map((r) => r.value).sort()).toEqual(['cat', 'coffee', 'dog']);
    expect(all.find((r) => r.value === 'coffee')).toEqual({
      id: expect.stringMatching(/^\d{19}$/),
      value: 'coffee',
      tag: 'c',
    });
    expect(all.find((r) => r.value === 'cat')).not.toHaveProperty('tag');

    const byId = await api(emu.url, `${RULES}?ids=${all[0]?.id},123`);
    expect(byId.json.data).toEqual([all[0]]);

    const page1 = await api(emu.url, `${RULES}?max_results=2`);
    const meta1 = page1.json.meta as { result_count: number; next_token: string };
    expect(meta1.result_count).toBe(2);
    expect(meta1.next_token).toMatch(/^.{16}$/);
    const page2 = await api(emu.url, `${RULES}?max_results=2&pagination_token=${meta1.next_token}`);
    expect((page2.json.data as Rule[]).length).toBe(1);
    expect(page2.json.meta).not.toHaveProperty('next_token');
    expect([...(page1.json.data as Rule[]), ...(page2.json.data as Rule[])]).toEqual(all);
  });

  it('rejects bad ids and max_results with invalid-request problems', async () => {
    const res = await api(emu.url, `${RULES}?ids=abc&max_results=0`);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      title: 'Invalid Request',
      type: 'https://api.twitter.com/2/problems/invalid-request',
    });
    const params = (res.json.errors as { parameters: Record<string, string[]> }[]).map(
      (e) => Object.keys(e.parameters)[0],
    );
    expect(params).toEqual(['ids', 'max_results']);
  });
});

describe('POST rules: add', () => {
  it('creates rules with 201, 19-digit string ids, tags, and X summary', async () => {
    const res = await api(emu.url, RULES, {
      method: 'POST',
      body: {
        add: [
          { value: 'meme has:images' },
          { value: 'puppy has:media', tag: 'puppies with media' },
        ],
      },
    });
    expect(res.status).toBe(201);
    const shape = readFixtureJson<{ data: Rule[]; meta: { summary: unknown } }>(
      'rules/add_201_created.json',
    );
    expect(res.json.meta).toEqual({ sent: expect.any(String), summary: shape.meta.summary });
    const data = res.json.data as Rule[];
    expect(data.map((r) => Object.keys(r))).toEqual(
      expect.arrayContaining(shape.data.map((r) => Object.keys(r))),
    );
    for (const rule of data) expect(rule.id).toMatch(/^\d{19}$/);
    expect(new Set(data.map((r) => r.id)).size).toBe(2);
    expect(
      emu
        .rules()
        .map((r) => r.value)
        .sort(),
    ).toEqual(['meme has:images', 'puppy has:media']);
  });

  it('with dry_run answers like a real add (201, ids) but stores nothing', async () => {
    const res = await api(emu.url, `${RULES}?dry_run=true`, {
      method: 'POST',
      body: { add: [{ value: 'tostones recipe' }] },
    });
    expect(res.status).toBe(201);
    const shape = readFixtureJson<{ meta: { summary: unknown } }>('rules/add_201_dry_run.json');
    expect(res.json.meta).toEqual({ sent: expect.any(String), summary: shape.meta.summary });
    expect((res.json.data as Rule[])[0]).toEqual({
      value: 'tostones recipe',
      id: expect.stringMatching(/^\d{19}$/),
    });
    expect(emu.rules()).toEqual([]);
    expect((await api(emu.url, RULES)).json.meta).toMatchObject({ result_count: 0 });
  });

  it('reports a duplicate with the id of the existing rule, and answers 200 when nothing was created', async () => {
    const created = await api(emu.url, RULES, {
      method: 'POST',
      body: { add: [{ value: 'cat has:images' }] },
    });
    const existing = (created.json.data as Rule[])[0] as Rule;
    const partial = await api(emu.url, RULES, {
      method: 'POST',
      body: {
        add: [{ value: '@newrelic', tag: 'newrelic mentions' }, { value: 'cat has:images' }],
      },
    });
    expect(partial.status).toBe(201);
    expect(partial.json.errors).toEqual([
      {
        value: 'cat has:images',
        id: existing.id,
        title: 'DuplicateRule',
        type: 'https://api.twitter.com/2/problems/duplicate-rules',
      },
    ]);
    expect((partial.json.meta as { summary: unknown }).summary).toEqual({
      created: 1,
      not_created: 1,
      valid: 1,
      invalid: 1,
    });

    const none = await api(emu.url, RULES, {
      method: 'POST',
      body: { add: [{ value: 'cat has:images' }] },
    });
    expect(none.status).toBe(200);
    expect(none.json).not.toHaveProperty('data');
    expect((none.json.meta as { summary: unknown }).summary).toEqual({
      created: 0,
      not_created: 1,
      valid: 0,
      invalid: 1,
    });
  });

  it('refuses an invalid rule with UnprocessableEntity and details from the rules validator', async () => {
    const recorded = readFixtureJson<{ errors: { value: string; details: string[] }[] }>(
      'rules/add_200_invalid_rule_unprocessable_entity.json',
    );
    const value = recorded.errors[0]?.value as string;
    const res = await api(emu.url, RULES, {
      method: 'POST',
      body: { add: [{ value }, { value: 'has:media' }] },
    });
    expect(res.status).toBe(200);
    const errors = res.json.errors as {
      value: string;
      details: string[];
      title: string;
      type: string;
    }[];
    expect(errors.map((e) => [e.value, e.title, e.type])).toEqual([
      [value, 'UnprocessableEntity', 'https://api.twitter.com/2/problems/invalid-rules'],
      ['has:media', 'UnprocessableEntity', 'https://api.twitter.com/2/problems/invalid-rules'],
    ]);
    for (const e of errors) {
      expect(e).not.toHaveProperty('detail');
      expect(e.details.length).toBeGreaterThan(0);
      for (const d of e.details) expect(d).toMatch(/\(at position \d+\)$/);
    }
    // The messages X sent for this rule are among ours.
    expect(errors[0]?.details).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Ambiguous use of or as a keyword/)]),
    );
    expect((res.json.meta as { summary: unknown }).summary).toEqual({
      created: 0,
      not_created: 2,
      valid: 0,
      invalid: 2,
    });
    expect(emu.rules()).toEqual([]);
  });

  it('honours maxRules with a rule-cap problem', async () => {
    const small = await startEmulator({ maxRules: 1 });
    try {
      const res = await api(small.url, RULES, {
        method: 'POST',
        body: { add: [{ value: 'cat' }, { value: 'dog' }] },
      });
      expect(res.status).toBe(201);
      expect(res.json.errors).toEqual([
        expect.objectContaining({
          value: 'dog',
          type: 'https://api.twitter.com/2/problems/rule-cap',
        }),
      ]);
      expect(small.rules().map((r) => r.value)).toEqual(['cat']);
    } finally {
      await small.close();
    }
  });
});

describe('POST rules: malformed bodies get X 400 invalid-request bodies', () => {
  it('add without value', async () => {
    const res = await api(emu.url, RULES, { method: 'POST', body: { add: [{ values: 'cat' }] } });
    expect(res.status).toBe(400);
    expect(res.text).toBe(
      JSON.stringify(readFixtureJson('rules/add_400_invalid_request_missing_value.json')),
    );
  });

  it('delete as an array', async () => {
    const res = await api(emu.url, RULES, { method: 'POST', body: { delete: [{ ids: ['1'] }] } });
    expect(res.status).toBe(400);
    expect(res.text).toBe(
      JSON.stringify(readFixtureJson('rules/delete_400_invalid_request_schema.json')),
    );
  });

  it('neither add nor delete, unparseable JSON, bad flags', async () => {
    for (const [path, body] of [
      [RULES, {}],
      [RULES, '{nope'],
      [`${RULES}?dry_run=yes`, { add: [{ value: 'cat' }] }],
    ] as const) {
      const res = await api(emu.url, path, { method: 'POST', body });
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({
        title: 'Invalid Request',
        detail: 'One or more parameters to your request was invalid.',
      });
    }
  });
});

describe('POST rules: delete', () => {
  async function seed(values: string[]): Promise<Rule[]> {
    return (
      await api(emu.url, RULES, {
        method: 'POST',
        body: { add: values.map((value) => ({ value })) },
      })
    ).json.data as Rule[];
  }

  it('deletes by ids with X summary, and reports ids that do not exist', async () => {
    const [a] = await seed(['cat', 'dog']);
    const res = await api(emu.url, RULES, {
      method: 'POST',
      body: { delete: { ids: [a?.id, '1234567890123456789'] } },
    });
    expect(res.status).toBe(200);
    expect(res.json.meta).toEqual({
      sent: expect.any(String),
      summary: { deleted: 1, not_deleted: 1 },
    });
    expect(res.json).not.toHaveProperty('data');
    expect(res.json.errors).toEqual([
      expect.objectContaining({
        title: 'Invalid Request',
        errors: [{ parameters: {}, message: 'Rule does not exist' }],
      }),
    ]);
    expect(emu.rules().map((r) => r.value)).toEqual([a?.value === 'cat' ? 'dog' : 'cat']);
  });

  it('deletes by values, shaped like the recorded response', async () => {
    await seed(['cat', 'dog']);
    const res = await api(emu.url, RULES, {
      method: 'POST',
      body: { delete: { values: ['cat'] } },
    });
    const recorded = readFixtureJson<{ meta: { summary: unknown } }>(
      'rules/delete_200_deleted.json',
    );
    expect(res.json).toEqual({
      meta: { sent: expect.any(String), summary: recorded.meta.summary },
    });
    expect(emu.rules().map((r) => r.value)).toEqual(['dog']);
  });

  it('delete_all removes everything, and not with dry_run', async () => {
    await seed(['cat', 'dog', 'coffee']);
    const dry = await api(emu.url, `${RULES}?delete_all=true&dry_run=true`, {
      method: 'POST',
      body: {},
    });
    expect((dry.json.meta as { summary: unknown }).summary).toEqual({ deleted: 3, not_deleted: 0 });
    expect(emu.rules()).toHaveLength(3);
    const real = await api(emu.url, `${RULES}?delete_all=true`, { method: 'POST', body: {} });
    expect((real.json.meta as { summary: unknown }).summary).toEqual({
      deleted: 3,
      not_deleted: 0,
    });
    expect(emu.rules()).toEqual([]);
  });
});

describe('rule counts and rate limits', () => {
  it('counts rules per app and project', async () => {
    await api(emu.url, RULES, {
      method: 'POST',
      body: { add: [{ value: 'cat' }, { value: 'dog' }] },
    });
    const res = await api(emu.url, `${RULES}/counts`);
    expect(res.status).toBe(200);
    const data = res.json.data as Record<string, unknown>;
    expect(data).toMatchObject({
      cap_per_client_app: 1000,
      cap_per_project: 1000,
      project_rules_count: 2,
    });
    expect(data.client_app_rules_count).toEqual({
      client_app_id: expect.any(String),
      rule_count: 2,
    });
  });

  it('answers 429 with remaining 0 once the window is used up, and the body of a rate limit', async () => {
    const tight = await startEmulator({ rateLimits: { 'rules-post': 2 } });
    try {
      const body = { add: [{ value: 'cat' }] };
      expect((await api(tight.url, RULES, { method: 'POST', body })).status).toBe(201);
      expect((await api(tight.url, RULES, { method: 'POST', body })).status).toBe(200);
      const third = await api(tight.url, RULES, { method: 'POST', body });
      expect(third.status).toBe(429);
      expect(third.text).toBe(
        readFixtureText('errors/rest_429_too_many_requests_json_2021.json').trim(),
      );
      expect(third.headers.get('x-rate-limit-remaining')).toBe('0');
      // GET has its own window.
      expect((await api(tight.url, RULES)).status).toBe(200);
    } finally {
      await tight.close();
    }
  });

  it('answers unknown paths with 404 and wrong methods with 405', async () => {
    expect((await api(emu.url, '/2/tweets/nope')).status).toBe(404);
    const res = await api(emu.url, RULES, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, POST');
  });
});
