import { isAuthenticationError, isBadRequestError, isForbiddenError } from '@birdstream/core';
import { readFixtureJson, recordedResponse, useMswServer } from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { describe, expect, test } from 'vitest';
import { isRulesResponseError, RulesClient } from '../../src/index.js';
import { BASE, RULES_URL, TOKEN } from '../support/server.js';

const server = useMswServer();
const client = () => new RulesClient({ bearerToken: TOKEN, baseUrl: BASE });

/** Records what the client sent. */
function capture(file: string, fallbackStatus?: number) {
  const sent: { url: URL; body: unknown; headers: Headers }[] = [];
  server.use(
    http.post(RULES_URL, async ({ request }) => {
      sent.push({
        url: new URL(request.url),
        body: await request.json(),
        headers: request.headers,
      });
      return recordedResponse(file, fallbackStatus);
    }),
  );
  return sent;
}

describe('add (recorded responses)', () => {
  test('201 created: typed rules, summary, and outcomes matched back by value', async () => {
    const sent = capture('rules/add_201_created.json');
    const result = await client().add([
      { value: 'puppy has:media', tag: 'puppies with media' },
      { value: 'meme has:images' },
    ]);

    expect(sent[0]?.body).toEqual({
      add: [{ value: 'puppy has:media', tag: 'puppies with media' }, { value: 'meme has:images' }],
    });
    expect(sent[0]?.url.search).toBe('');
    expect(sent[0]?.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(sent[0]?.headers.get('user-agent')).toMatch(/^birdstream-rules\/\d+\.\d+\.\d+/);
    expect(result).toMatchObject({
      dryRun: false,
      status: 201,
      ok: true,
      sent: '2020-06-18T15:20:24.063Z',
      summary: { created: 2, not_created: 0, valid: 2, invalid: 0 },
      errors: [],
    });
    // X returned the second rule first; results follow the request order.
    expect(result.created.map((r) => r.value)).toEqual(['meme has:images', 'puppy has:media']);
    expect(result.results).toEqual([
      {
        status: 'created',
        input: { value: 'puppy has:media', tag: 'puppies with media' },
        rule: { id: '1273636687768285187', value: 'puppy has:media', tag: 'puppies with media' },
      },
      {
        status: 'created',
        input: { value: 'meme has:images' },
        rule: { id: '1273636687768285186', value: 'meme has:images' },
      },
    ]);
  });

  test('201 dry run: sends ?dry_run=true and says so', async () => {
    const sent = capture('rules/add_201_dry_run.json');
    const result = await client().add([{ value: 'tostones recipe' }], { dryRun: true });
    expect(sent[0]?.url.searchParams.get('dry_run')).toBe('true');
    expect(sent[0]?.body).toEqual({ add: [{ value: 'tostones recipe' }] });
    expect(result).toMatchObject({ dryRun: true, status: 201, ok: true });
    expect(result.results[0]).toMatchObject({
      status: 'created',
      rule: { id: '1273646795642421249' },
    });
  });

  test('200 with an invalid rule resolves with the UnprocessableEntity details', async () => {
    capture('rules/add_200_invalid_rule_unprocessable_entity.json');
    const value = readFixtureJson<{ errors: { value: string }[] }>(
      'rules/add_200_invalid_rule_unprocessable_entity.json',
    ).errors[0]!.value;
    const result = await client().add([{ value, tag: 'food' }]);
    expect(result).toMatchObject({
      status: 200,
      ok: false,
      created: [],
      summary: { created: 0, not_created: 1, valid: 0, invalid: 1 },
    });
    const [outcome] = result.results;
    expect(outcome?.status).toBe('invalid');
    if (outcome?.status !== 'invalid') throw new Error('unreachable');
    expect(outcome.details).toHaveLength(39);
    expect(outcome.details[0]).toBe(
      'Too many positive clauses in rule - 100.  The maximum allowed is 30 (at position 1)',
    );
    expect(outcome.error).toMatchObject({
      kind: 'invalid',
      value,
      problem: { title: 'UnprocessableEntity' },
    });
    expect(result.errors[0]?.kind).toBe('invalid');
  });

  test('a partial duplicate: created rules plus DuplicateRule with the existing id', async () => {
    capture('rules/add_partial_duplicate_rule_newrelic_readme.json', 201);
    const result = await client().add([
      { value: '@newrelic', tag: 'newrelic mentions' },
      { value: 'cat has:images' },
      { value: 'entity: San Francisco', tag: 'entity San Francisco' },
    ]);
    expect(result.ok).toBe(true);
    expect(result.summary).toEqual({ created: 2, not_created: 1, valid: 2, invalid: 1 });
    expect(result.results.map((r) => r.status)).toEqual(['created', 'duplicate', 'created']);
    expect(result.results[1]).toMatchObject({
      status: 'duplicate',
      existingId: '1293637398979584001',
      error: { kind: 'duplicate', value: 'cat has:images', existingId: '1293637398979584001' },
    });
  });

  test('400 invalid-request becomes a BadRequestError naming the bad field', async () => {
    capture('rules/add_400_invalid_request_missing_value.json');
    const error = await client()
      .add([{ value: 'puppy has:media' }])
      .catch((e: unknown) => e);
    expect(isBadRequestError(error)).toBe(true);
    expect(error).toMatchObject({
      status: 400,
      problemType: 'invalid-request',
      title: 'Invalid Request',
      rateLimit: { limit: 15, remaining: 13, resetAtMs: 1592497381000 },
    });
    expect((error as Error).message).toContain(
      'X API 400 Invalid Request while trying to add filtered stream rules',
    );
  });

  test('401 becomes an AuthenticationError', async () => {
    capture('errors/rules_get_401_unauthorized.json');
    const error = await client()
      .add([{ value: 'cat' }])
      .catch((e: unknown) => e);
    expect(isAuthenticationError(error)).toBe(true);
    expect((error as Error).message).toMatch(/Check the bearer token/);
  });

  test('403 client-forbidden becomes a ForbiddenError with the reason', async () => {
    capture('errors/rules_403_client_forbidden_not_enrolled_2020.json');
    const error = await client()
      .add([{ value: 'tostones recipe' }])
      .catch((e: unknown) => e);
    expect(isForbiddenError(error)).toBe(true);
    expect(error).toMatchObject({
      status: 403,
      problemType: 'client-forbidden',
      problem: { reason: 'client-not-enrolled' },
    });
  });

  test('403 unsupported-authentication (user context) becomes a ForbiddenError', async () => {
    capture('errors/unsupported_authentication_403_user_context_forbidden.json');
    const error = await client()
      .add([{ value: 'cat' }])
      .catch((e: unknown) => e);
    expect(isForbiddenError(error)).toBe(true);
    expect(error).toMatchObject({ problemType: 'unsupported-authentication' });
  });
});

describe('add (edge cases)', () => {
  test('an unexpected body shape is a RulesResponseError that says the add may have happened', async () => {
    server.use(
      http.post(RULES_URL, () => HttpResponse.json({ data: [{ value: 'cat' }] }, { status: 201 })),
    );
    const error = await client()
      .add([{ value: 'cat' }])
      .catch((e: unknown) => e);
    expect(isRulesResponseError(error)).toBe(true);
    expect(error).toMatchObject({
      status: 201,
      kind: 'schema-mismatch',
      operation: 'add filtered stream rules',
    });
    expect((error as Error).message).toMatch(/unexpected shape .*may have taken effect/);
  });

  test('a body that is not JSON is a RulesResponseError', async () => {
    server.use(http.post(RULES_URL, () => new HttpResponse('<html>oops</html>', { status: 201 })));
    const error = await client()
      .add([{ value: 'cat' }])
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'RulesResponseError', kind: 'invalid-json' });
    expect((error as { raw: string }).raw).toBe('<html>oops</html>');
    expect(JSON.stringify(error)).not.toContain('oops');
  });

  test('19-digit numeric ids keep every digit', async () => {
    server.use(
      http.post(
        RULES_URL,
        () =>
          new HttpResponse(
            '{"data":[{"value":"cat","id":1273636687768285187}],"meta":{"sent":"x","summary":{"created":1,"not_created":0,"valid":1,"invalid":0}}}',
            { status: 201, headers: { 'content-type': 'application/json' } },
          ),
      ),
    );
    const result = await client().add([{ value: 'cat' }]);
    expect(result.created[0]?.id).toBe('1273636687768285187');
  });

  test('a rule-cap problem without a value applies to every rule not created', async () => {
    server.use(
      http.post(RULES_URL, () =>
        HttpResponse.json({
          meta: { sent: 'x', summary: { created: 0, not_created: 2, valid: 0, invalid: 2 } },
          errors: [
            {
              title: 'RulesCapExceeded',
              detail: 'Rule cap reached.',
              type: 'https://api.x.com/2/problems/rule-cap',
            },
          ],
        }),
      ),
    );
    const result = await client().add([{ value: 'a' }, { value: 'b' }]);
    expect(result.ok).toBe(false);
    expect(
      result.results.map((r) => [r.status, r.status === 'rejected' ? r.error.kind : '']),
    ).toEqual([
      ['rejected', 'rule-cap'],
      ['rejected', 'rule-cap'],
    ]);
    expect(result.errors[0]?.message).toBe('Rule cap reached.');
  });

  test('a rule X says nothing about is "unknown"', async () => {
    server.use(
      http.post(RULES_URL, () =>
        HttpResponse.json({
          meta: { sent: 'x', summary: { created: 0, not_created: 1, valid: 0, invalid: 1 } },
        }),
      ),
    );
    const result = await client().add([{ value: 'a' }]);
    expect(result.results).toEqual([{ status: 'unknown', input: { value: 'a' } }]);
    expect(result.ok).toBe(false);
  });

  test('an empty list sends nothing', async () => {
    const result = await client().add([]);
    expect(result).toMatchObject({ status: 0, ok: true, results: [] });
  });

  test.each([
    [[{ value: '' }], /rule 1 needs a non-empty string value/],
    [[{ value: 'cat', tag: 3 }], /rule 1 has a tag that is not a string/],
    [[null], /rule 1 must be an object/],
    ['cat', /takes an array of rules/],
  ])('bad input %j is a ConfigError sent nowhere', async (rules, message) => {
    await expect(client().add(rules as never)).rejects.toMatchObject({
      name: 'ConfigError',
      message: expect.stringMatching(message),
    });
  });
});
