import { useMswServer } from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { describe, expect, test } from 'vitest';
import { isRuleValidationError, RulesClient } from '../../src/index.js';
import { FakeRulesServer } from '../support/fake-rules-server.js';
import { BASE, RULES_URL, TOKEN } from '../support/server.js';

const server = useMswServer();
const client = () => new RulesClient({ bearerToken: TOKEN, baseUrl: BASE });

function fake(initial: { value: string; tag?: string }[] = [], options = {}) {
  const x = new FakeRulesServer(initial, options);
  server.use(...x.handlers());
  return x;
}

const DESIRED = [
  { value: 'cat has:images', tag: 'cats' },
  { value: '#nowplaying lang:en', tag: 'music' },
  { value: 'from:XDevelopers -is:retweet' },
];

describe('sync', () => {
  test('adds what is missing, prunes what is not desired, and a second run sends nothing', async () => {
    const x = fake([{ value: 'cat has:images', tag: 'cats' }, { value: 'old rule' }]);
    const first = await client().sync(DESIRED, { prune: true });

    expect(first.plan).toMatchObject({
      toAdd: [DESIRED[1], DESIRED[2]],
      toDelete: [expect.objectContaining({ value: 'old rule' })],
      unchanged: [expect.objectContaining({ value: 'cat has:images', tag: 'cats' })],
      retagged: [],
      unmanaged: [],
    });
    expect(first.outcome).toMatchObject({
      deleted: 1,
      notDeleted: 0,
      refused: [],
      errors: [],
      deletesSkipped: false,
    });
    expect(first.outcome.created.map((r) => r.value).sort()).toEqual(
      [DESIRED[1]!.value, DESIRED[2]!.value].sort(),
    );
    expect(first.ok).toBe(true);
    expect(x.current().map((r) => [r.value, r.tag])).toEqual(DESIRED.map((r) => [r.value, r.tag]));

    const postsBefore = x.posts().length;
    const second = await client().sync(DESIRED, { prune: true });
    expect(x.posts().length).toBe(postsBefore);
    expect(second.plan).toMatchObject({ toAdd: [], toDelete: [], retagged: [], unmanaged: [] });
    expect(second.plan.unchanged).toHaveLength(3);
    expect(second.outcome).toMatchObject({ created: [], deleted: 0 });
  });

  test('adds before it deletes, so matching never has a gap', async () => {
    const x = fake([{ value: 'old one' }, { value: 'old two' }]);
    await client().sync([{ value: 'new one' }, { value: 'new two' }], { prune: true });
    expect(x.log).toEqual(['add new one', 'add new two', 'delete old one', 'delete old two']);
    expect(x.posts().map((p) => Object.keys(p.body as object)[0])).toEqual(['add', 'delete']);
  });

  test('a changed tag is a delete plus an add (X cannot add the same value twice)', async () => {
    const x = fake([{ value: 'cat has:images', tag: 'kittens' }, { value: 'stays' }]);
    const result = await client().sync([
      { value: 'cat has:images', tag: 'cats' },
      { value: 'stays' },
      { value: 'dog' },
    ]);
    expect(result.plan.retagged).toEqual([
      {
        from: expect.objectContaining({ value: 'cat has:images', tag: 'kittens' }),
        to: { value: 'cat has:images', tag: 'cats' },
      },
    ]);
    expect(x.log).toEqual(['add dog', 'delete cat has:images', 'add cat has:images']);
    expect(x.current().find((r) => r.value === 'cat has:images')?.tag).toBe('cats');
    expect(result.outcome).toMatchObject({ deleted: 1, refused: [] });
    const again = await client().sync([
      { value: 'cat has:images', tag: 'cats' },
      { value: 'stays' },
      { value: 'dog' },
    ]);
    expect(again.plan.toAdd).toEqual([]);
  });

  test('a missing tag, null and "" are the same tag', async () => {
    const x = fake([{ value: 'cat' }]);
    const result = await client().sync([{ value: 'cat', tag: '' }]);
    expect(result.plan.unchanged).toHaveLength(1);
    expect(x.posts()).toEqual([]);
  });

  test('without prune, rules that are not desired are left alone and listed as unmanaged', async () => {
    const x = fake([{ value: 'someone else s rule' }]);
    const result = await client().sync([{ value: 'mine' }]);
    expect(result.plan.unmanaged).toEqual([
      expect.objectContaining({ value: 'someone else s rule' }),
    ]);
    expect(result.plan.toDelete).toEqual([]);
    expect(x.current().map((r) => r.value)).toEqual(['someone else s rule', 'mine']);
    expect(x.posts().map((p) => Object.keys(p.body as object)[0])).toEqual(['add']);
  });

  test('dryRun sends the adds with dry_run=true, changes nothing, and predicts the deletes', async () => {
    const x = fake([{ value: 'old rule' }, { value: 'cat', tag: 'a' }]);
    const result = await client().sync([{ value: 'cat', tag: 'b' }, { value: 'new rule' }], {
      prune: true,
      dryRun: true,
    });
    expect(x.posts()).toHaveLength(1);
    expect(x.posts()[0]?.url.searchParams.get('dry_run')).toBe('true');
    expect(x.posts()[0]?.body).toEqual({ add: [{ value: 'new rule' }] });
    expect(x.log).toEqual([]);
    expect(x.current().map((r) => r.value)).toEqual(['old rule', 'cat']);
    expect(result).toMatchObject({ dryRun: true, ok: true, outcome: { deleted: 2, refused: [] } });
    expect(result.outcome.created.map((r) => [r.value, r.tag])).toEqual([
      ['new rule', undefined],
      ['cat', 'b'],
    ]);
    expect(result.plan.toDelete.map((r) => r.value).sort()).toEqual(['cat', 'old rule']);
  });

  test.each([
    ['a tag change', [{ value: 'cat', tag: 'a' }], [{ value: 'cat', tag: 'b' }], false],
    ['a tag removed', [{ value: 'cat', tag: 'a' }], [{ value: 'cat' }], false],
    [
      'adds, a tag change and a prune',
      [{ value: 'cat', tag: 'a' }, { value: 'old' }, { value: 'same', tag: 's' }],
      [{ value: 'cat', tag: 'b' }, { value: 'dog' }, { value: 'same', tag: 's' }],
      true,
    ],
  ])('dryRun predicts the real run exactly: %s', async (_name, initial, desired, prune) => {
    const summary = (result: Awaited<ReturnType<RulesClient['sync']>>) => ({
      ok: result.ok,
      created: result.outcome.created.map((r) => [r.value, r.tag]),
      alreadyPresent: result.outcome.alreadyPresent.length,
      deleted: result.outcome.deleted,
      refused: result.outcome.refused.length,
      deletesSkipped: result.outcome.deletesSkipped,
    });
    const dryX = fake(initial);
    const dry = await client().sync(desired, { prune, dryRun: true });
    expect(dryX.log).toEqual([]);
    const realX = fake(initial);
    const real = await client().sync(desired, { prune });
    expect(realX.current().length).toBeGreaterThan(0);
    expect(summary(dry)).toEqual(summary(real));
    expect(dry.outcome.deleted + dry.outcome.created.length).toBeGreaterThan(0);
  });

  test('dryRun with a refused new rule predicts that the deletes are skipped', async () => {
    // X refuses rules longer than 20 characters here; the offline checks are turned off.
    fake([{ value: 'cat', tag: 'a' }], { maxLength: 20 });
    const dry = await client().sync(
      [{ value: 'cat', tag: 'b' }, { value: 'a rule far too long for this server' }],
      { dryRun: true, validate: false },
    );
    expect(dry.outcome).toMatchObject({ deleted: 0, deletesSkipped: true });
    expect(dry.outcome.created).toEqual([]);
    expect(dry.ok).toBe(false);
  });

  test('invalid rules: a RuleValidationError listing every problem, and nothing is sent', async () => {
    const x = fake();
    const error = await client()
      .sync([
        { value: 'cat' },
        { value: 'has:media' },
        { value: 'dog lang:xx or cat' },
        { value: 'cat' },
      ])
      .catch((e: unknown) => e);
    expect(isRuleValidationError(error)).toBe(true);
    if (!isRuleValidationError(error)) throw new Error('unreachable');
    expect(error.problems.map((p) => [p.index, p.code])).toEqual([
      [1, 'no-standalone-operator'],
      [2, 'argument-out-of-range'],
      [2, 'ambiguous-or'],
      [3, 'duplicate-value'],
    ]);
    expect(error.message).toMatch(
      /^sync\(\) stopped before sending anything: offline validation found 4 problems in 3 rules/,
    );
    expect(error.message).toContain('rule 2 "has:media": The rule has no standalone operator');
    expect(x.requests).toEqual([]);
  });

  test('the tier sets the offline limits', async () => {
    const x = fake();
    const long = `cat ${'x'.repeat(600)}`;
    await expect(client().sync([{ value: long }], { tier: 'elevated' })).rejects.toMatchObject({
      name: 'RuleValidationError',
      problems: [expect.objectContaining({ code: 'too-long' })],
    });
    expect(x.requests).toEqual([]);
    await client().sync([{ value: long }]);
    expect(x.current()).toHaveLength(1);
  });

  test('DuplicateRule is treated as already present', async () => {
    const x = fake([{ value: 'dog' }]);
    // A stale listing: another process added "dog" after we looked.
    server.use(
      http.get(RULES_URL, () => HttpResponse.json({ meta: { sent: 'x', result_count: 0 } })),
    );
    const result = await client().sync([{ value: 'dog' }, { value: 'cat' }]);
    expect(result.outcome.alreadyPresent).toEqual([
      { input: { value: 'dog' }, existingId: x.current()[0]!.id },
    ]);
    expect(result.outcome.created.map((r) => r.value)).toEqual(['cat']);
    expect(result.outcome.errors).toEqual([]);
    expect(result.ok).toBe(true);
  });

  test('when X refuses a new rule, nothing is deleted', async () => {
    const x = fake([{ value: 'old rule' }], { maxLength: 20 });
    const result = await client().sync(
      [{ value: 'this rule is longer than twenty' }, { value: 'ok' }],
      {
        prune: true,
      },
    );
    expect(result.outcome.deletesSkipped).toBe(true);
    expect(result.outcome.refused).toEqual([
      expect.objectContaining({
        status: 'invalid',
        input: { value: 'this rule is longer than twenty' },
      }),
    ]);
    expect(result.outcome.errors[0]).toMatchObject({ kind: 'invalid' });
    expect(result.ok).toBe(false);
    expect(x.current().map((r) => r.value)).toEqual(['old rule', 'ok']);
    expect(x.posts().map((p) => Object.keys(p.body as object)[0])).toEqual(['add']);
  });

  test('validate: false skips the offline checks and lets X decide', async () => {
    const x = fake();
    const result = await client().sync([{ value: 'has:media' }], { validate: false });
    expect(x.posts()).toHaveLength(1);
    expect(result.outcome.refused[0]).toMatchObject({ status: 'invalid' });
  });

  test('offline warnings are returned and do not stop the sync', async () => {
    fake();
    const result = await client().sync([{ value: 'entity: Paris' }]);
    expect(result.warnings).toEqual([
      expect.objectContaining({ code: 'operator-without-value', index: 0 }),
    ]);
    expect(result.outcome.created).toHaveLength(1);
  });

  test('pages through large rule sets before planning', async () => {
    const many = Array.from({ length: 1500 }, (_, i) => ({ value: `rule${i}` }));
    const x = fake(many);
    const result = await client().sync(many, { prune: true, maxRules: 2000 });
    expect(result.plan.unchanged).toHaveLength(1500);
    expect(x.requests.filter((r) => r.method === 'GET')).toHaveLength(2);
    expect(x.posts()).toEqual([]);
  });
});
