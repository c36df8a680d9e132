import { isBadRequestError } from '@birdstream/core';
import { recordedResponse, useMswServer } from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { describe, expect, test } from 'vitest';
import { RulesClient } from '../../src/index.js';
import { BASE, RULES_URL, TOKEN } from '../support/server.js';

const server = useMswServer();
const client = () => new RulesClient({ bearerToken: TOKEN, baseUrl: BASE });

function capture(respond: () => Response) {
  const sent: { url: URL; body: unknown }[] = [];
  server.use(
    http.post(RULES_URL, async ({ request }) => {
      sent.push({ url: new URL(request.url), body: await request.json() });
      return respond();
    }),
  );
  return sent;
}

describe('delete', () => {
  test('by ids: sends {"delete":{"ids":[...]}} and parses the recorded 200', async () => {
    const sent = capture(() => recordedResponse('rules/delete_200_deleted.json'));
    const result = await client().delete({ ids: ['1273636687768285186'] });
    expect(sent[0]?.body).toEqual({ delete: { ids: ['1273636687768285186'] } });
    expect(sent[0]?.url.search).toBe('');
    expect(result).toEqual({
      dryRun: false,
      status: 200,
      summary: { deleted: 1, not_deleted: 0 },
      errors: [],
      sent: '2020-07-09T21:13:18.284Z',
    });
  });

  test('by values, as a dry run', async () => {
    const sent = capture(() => recordedResponse('rules/delete_200_deleted.json'));
    const result = await client().delete({ values: ['meme has:images'] }, { dryRun: true });
    expect(sent[0]?.body).toEqual({ delete: { values: ['meme has:images'] } });
    expect(sent[0]?.url.searchParams.get('dry_run')).toBe('true');
    expect(result.dryRun).toBe(true);
  });

  test('the recorded 400 for a malformed delete is a BadRequestError', async () => {
    capture(() => recordedResponse('rules/delete_400_invalid_request_schema.json'));
    const error = await client()
      .delete({ ids: ['1273636687768285186'] })
      .catch((e: unknown) => e);
    expect(isBadRequestError(error)).toBe(true);
    expect(error).toMatchObject({
      problem: { errors: [{ message: "JSON doesn't match expected schema" }] },
    });
  });

  test('not_deleted and errors for unknown ids are reported, not thrown', async () => {
    capture(() =>
      HttpResponse.json({
        meta: { sent: 'x', summary: { deleted: 0, not_deleted: 1 } },
        errors: [
          {
            errors: [{ parameters: { ids: ['1'] }, message: 'Rule does not exist' }],
            title: 'Invalid Request',
            type: 'https://api.twitter.com/2/problems/invalid-request',
          },
        ],
      }),
    );
    const result = await client().delete({ ids: ['1'] });
    expect(result.summary).toEqual({ deleted: 0, not_deleted: 1 });
    expect(result.errors[0]).toMatchObject({
      kind: 'other',
      problemType: 'invalid-request',
      message: 'Invalid Request: Rule does not exist',
    });
  });

  test.each([
    [{}, /either \{ ids: \[...\] \} or \{ values: \[...\] \}/],
    [{ ids: ['1'], values: ['a'] }, /not both/],
    [{ ids: ['x1'] }, /id 1 is "x1"/],
    [{ values: [''] }, /value 1 must be a non-empty string/],
  ])('bad target %j is a ConfigError', async (target, message) => {
    await expect(client().delete(target as never)).rejects.toMatchObject({
      name: 'ConfigError',
      message: expect.stringMatching(message),
    });
  });

  test('an empty list sends nothing', async () => {
    expect(await client().delete({ ids: [] })).toMatchObject({
      status: 0,
      summary: { deleted: 0, not_deleted: 0 },
    });
  });
});

describe('deleteAll', () => {
  test('refuses without confirm, saying why, and sends nothing', async () => {
    const sent = capture(() => HttpResponse.json({}));
    await expect(client().deleteAll()).rejects.toMatchObject({
      name: 'ConfigError',
      message: expect.stringMatching(/cannot be recovered; pass \{ confirm: true \}/),
    });
    await expect(client().deleteAll({ confirm: false })).rejects.toMatchObject({
      name: 'ConfigError',
    });
    expect(sent).toEqual([]);
  });

  test('with confirm: POST ?delete_all=true with body {}', async () => {
    const sent = capture(() =>
      HttpResponse.json({ meta: { sent: 'x', summary: { deleted: 12, not_deleted: 0 } } }),
    );
    const result = await client().deleteAll({ confirm: true });
    expect(sent[0]?.url.searchParams.get('delete_all')).toBe('true');
    expect(sent[0]?.url.searchParams.has('dry_run')).toBe(false);
    expect(sent[0]?.body).toEqual({});
    expect(result.summary.deleted).toBe(12);
  });

  test('a dry run needs confirm too, and then sends dry_run=true', async () => {
    const sent = capture(() =>
      HttpResponse.json({ meta: { sent: 'x', summary: { deleted: 3, not_deleted: 0 } } }),
    );
    await expect(client().deleteAll({ dryRun: true })).rejects.toMatchObject({
      name: 'ConfigError',
    });
    expect(sent).toEqual([]);
    const result = await client().deleteAll({ dryRun: true, confirm: true });
    expect(sent[0]?.url.searchParams.get('delete_all')).toBe('true');
    expect(sent[0]?.url.searchParams.get('dry_run')).toBe('true');
    expect(result).toMatchObject({ dryRun: true, summary: { deleted: 3 } });
  });
});
