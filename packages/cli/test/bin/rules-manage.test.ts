import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { runBin } from '../helpers/bin.js';
import { expectNoToken, expectOneLineError, positionOf, TOKEN, tempDir } from '../helpers/env.js';
import { type FakeX, startFakeX } from '../helpers/fake-x.js';

const files = tempDir();
let x: FakeX;

beforeEach(async () => {
  await x?.close();
  x = await startFakeX({
    token: TOKEN,
    rules: [
      { id: '1273636687768285186', value: 'meme has:images' },
      { id: '1273636687768285187', value: 'puppy has:media', tag: 'puppies with media' },
    ],
    refuse: (value) =>
      value.includes('xrefuses')
        ? `Too many positive clauses in rule - 100.  The maximum allowed is 30 (at position ${value.indexOf('xrefuses') + 1})`
        : undefined,
  });
});
afterAll(async () => {
  await x.close();
  files.remove();
});

const env = () => ({ X_BEARER_TOKEN: TOKEN, BIRDSTREAM_BASE_URL: x.url });
const posts = () => x.requests.filter((r) => r.method === 'POST');

describe('birdstream rules list', () => {
  it('prints the rules as a table', async () => {
    const result = await runBin(['rules', 'list'], { env: env() });
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'ID                   TAG                 VALUE',
      '1273636687768285186  -                   meme has:images',
      '1273636687768285187  puppies with media  puppy has:media',
      '',
      '2 rules.',
      '',
    ]);
    expectNoToken(result);
  });

  it('prints JSON that `rules sync` reads back as "nothing to change"', async () => {
    const listed = await runBin(['rules', 'list', '--json'], { env: env() });
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual({
      rules: [
        { id: '1273636687768285186', value: 'meme has:images' },
        { id: '1273636687768285187', value: 'puppy has:media', tag: 'puppies with media' },
      ],
    });
    files.write('exported.json', listed.stdout);
    const sync = await runBin(['rules', 'sync', 'exported.json', '--prune'], {
      cwd: files.dir,
      env: env(),
    });
    expect(sync.code).toBe(0);
    expect(sync.stdout).toContain('= 2 rules unchanged');
    expect(posts()).toHaveLength(0);
  });

  it('says how to add rules when there are none', async () => {
    x.rules.splice(0);
    const result = await runBin(['rules', 'list'], { env: env() });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'No rules: the filtered stream delivers nothing until you add some',
    );
  });
});

describe('birdstream rules sync', () => {
  const RULES = `[
  { "value": "meme has:images" },
  { "value": "puppy has:media", "tag": "puppies" },
  { "value": "kitten has:media", "tag": "kittens" }
]
`;

  it('shows the plan with --dry-run and changes nothing', async () => {
    files.write('rules.json', RULES);
    const result = await runBin(['rules', 'sync', 'rules.json', '--dry-run'], {
      cwd: files.dir,
      env: env(),
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('rules.json → X (dry run: nothing is changed)');
    expect(result.stdout).toContain('+ add     "kitten has:media" (tag "kittens")');
    expect(result.stdout).toContain(
      '~ retag   "puppy has:media": "puppies with media" → "puppies"',
    );
    expect(result.stdout).toContain('= 1 rule unchanged');
    expect(result.stdout).toContain('✓ Dry run:');
    expect(posts().every((r) => r.query.get('dry_run') === 'true')).toBe(true);
    expect(x.rules.map((r) => r.value)).toEqual(['meme has:images', 'puppy has:media']);
    expectNoToken(result);
  });

  it('--dry-run predicts the real run exactly, a tag change included', async () => {
    files.write('retag.json', RULES);
    const args = ['rules', 'sync', 'retag.json'];
    const dry = await runBin([...args, '--dry-run'], { cwd: files.dir, env: env() });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(
      '✓ Dry run: would create 2, already present 0, would delete 1, refused 0. Run without --dry-run to apply.',
    );
    const dryJson = JSON.parse(
      (await runBin([...args, '--dry-run', '--json'], { cwd: files.dir, env: env() })).stdout,
    );
    expect(x.rules).toHaveLength(2);
    const real = await runBin([...args, '--json'], { cwd: files.dir, env: env() });
    expect(real.code).toBe(0);
    const realJson = JSON.parse(real.stdout);
    const counts = (report: {
      outcome: { created: unknown[]; deleted: number; alreadyPresent: unknown[] };
    }) => [
      report.outcome.created.length,
      report.outcome.alreadyPresent.length,
      report.outcome.deleted,
    ];
    expect(counts(dryJson)).toEqual([2, 0, 1]);
    expect(counts(realJson)).toEqual(counts(dryJson));
  });

  it('applies the file, and a second run is a no-op', async () => {
    files.write('rules.json', RULES);
    const first = await runBin(['rules', 'sync', 'rules.json'], { cwd: files.dir, env: env() });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("✓ The server's rules now match rules.json");
    expect(x.rules.map((r) => [r.value, r.tag])).toEqual([
      ['meme has:images', undefined],
      ['kitten has:media', 'kittens'],
      ['puppy has:media', 'puppies'],
    ]);
    const before = posts().length;
    const second = await runBin(['rules', 'sync', 'rules.json', '--json'], {
      cwd: files.dir,
      env: env(),
    });
    expect(second.code).toBe(0);
    const report = JSON.parse(second.stdout);
    expect(report).toMatchObject({
      ok: true,
      dryRun: false,
      plan: { add: [], delete: [], unchanged: 3 },
    });
    expect(posts()).toHaveLength(before);
  });

  it('deletes server rules missing from the file only with --prune', async () => {
    files.write('one.json', '[{"value": "meme has:images"}]');
    const kept = await runBin(['rules', 'sync', 'one.json'], { cwd: files.dir, env: env() });
    expect(kept.code).toBe(0);
    expect(kept.stdout).toContain(
      '! 1 rule on the server not in one.json, kept (--prune deletes them):',
    );
    expect(x.rules).toHaveLength(2);
    const pruned = await runBin(['rules', 'sync', 'one.json', '--prune'], {
      cwd: files.dir,
      env: env(),
    });
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toContain('- delete  1273636687768285187 "puppy has:media"');
    expect(x.rules.map((r) => r.value)).toEqual(['meme has:images']);
  });

  it('refuses to prune everything with an empty file', async () => {
    files.write('empty.json', '[]');
    const result = await runBin(['rules', 'sync', 'empty.json', '--prune'], {
      cwd: files.dir,
      env: env(),
    });
    expect(result.code).toBe(2);
    expectOneLineError(
      result.stderr,
      /empty\.json defines no rules: with --prune this would delete every rule/,
    );
    expect(posts()).toHaveLength(0);
  });

  it('sends nothing when the file is invalid offline, with annotations', async () => {
    const text = '[\n  {"value": "kitten has:media"},\n  {"value": "has:links"}\n]\n';
    files.write('bad.json', text);
    const result = await runBin(['rules', 'sync', 'bad.json', '--prune'], {
      cwd: files.dir,
      env: { ...env(), GITHUB_ACTIONS: 'true' },
    });
    expect(result.code).toBe(1);
    const at = positionOf(text, 'has:links');
    expect(result.stdout).toContain(`::error file=bad.json,line=${at.line},col=${at.col}::Rule 2:`);
    expect(result.stderr).toContain('bad.json is invalid; nothing was sent to X.');
    expect(x.requests).toHaveLength(0);
  });

  it('exits 1 when X refuses a rule, annotates it, and deletes nothing it would replace', async () => {
    const text = '[\n  {"value": "dogs xrefuses"}\n]\n';
    files.write('refused.json', text);
    const result = await runBin(['rules', 'sync', 'refused.json', '--prune'], {
      cwd: files.dir,
      env: { ...env(), GITHUB_ACTIONS: 'true' },
    });
    expect(result.code).toBe(1);
    const at = positionOf(text, 'xrefuses');
    expect(result.stdout).toContain(
      `::error file=refused.json,line=${at.line},col=${at.col}::X refused this rule: Too many positive clauses`,
    );
    expect(result.stdout).toContain('✗ Sync incomplete');
    expect(x.rules).toHaveLength(2);
  });
});

describe('birdstream rules delete-all', () => {
  it('refuses without --yes (exit 2) and sends nothing', async () => {
    const result = await runBin(['rules', 'delete-all'], { env: env() });
    expect(result.code).toBe(2);
    expectOneLineError(
      result.stderr,
      /deletes every rule of the App and cannot be undone; add --yes to confirm/,
    );
    expect(x.requests).toHaveLength(0);
    expect(x.rules).toHaveLength(2);
  });

  it('checks with --dry-run, and deletes every rule with --yes', async () => {
    const dry = await runBin(['rules', 'delete-all', '--dry-run'], { env: env() });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe('Would delete 2 rules (dry run: nothing changed).\n');
    expect(x.rules).toHaveLength(2);
    const result = await runBin(['rules', 'delete-all', '--yes', '--json'], { env: env() });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      dryRun: false,
      deleted: 2,
      notDeleted: 0,
      errors: [],
    });
    expect(x.rules).toHaveLength(0);
    const [request] = posts().slice(-1);
    expect(request?.query.get('delete_all')).toBe('true');
    expectNoToken(result);
  });
});
