/**
 * The README's examples, run: the validateRule output it shows, and its CI
 * script (the same calls, with annotations collected instead of printed and
 * exit codes returned) against a stateful fake of X's rules endpoints.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useMswServer } from '@birdstream/test-utils';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  type DocumentPosition,
  isRulesDocumentError,
  type LocatedRule,
  loadRules,
  type RuleSetProblem,
  RulesClient,
  validateRule,
  validateRules,
} from '../src/index.js';
import { FakeRulesServer } from './support/fake-rules-server.js';
import { TOKEN } from './support/server.js';

const server = useMswServer();

test('the validateRule example output', () => {
  expect(validateRule('(cat OR dog has:images')).toEqual({
    valid: false,
    problems: [
      {
        code: 'unbalanced-parentheses',
        position: 1,
        length: 1,
        message: "Unbalanced parentheses: this '(' is never closed; add a ')' (at position 1)",
      },
    ],
    warnings: [],
  });
});

/** The README's scripts/rules-ci.mjs, line for line, returning its exit code. */
async function rulesCi(file: string, apply: boolean, out: string[]): Promise<number> {
  const annotate = (level: string, { line, column }: DocumentPosition, message: string) =>
    out.push(`::${level} file=${file},line=${line},col=${column}::${message}`);
  const top = { line: 1, column: 1 };

  let rules: LocatedRule[];
  try {
    ({ rules } = await loadRules(file));
  } catch (error) {
    if (!isRulesDocumentError(error)) throw error;
    for (const issue of error.issues) annotate('error', issue, issue.message);
    return 1;
  }
  const where = (p: RuleSetProblem) =>
    p.index === undefined ? top : rules[p.index]!.locate(p.position);
  const report = validateRules(rules, { tier: 'pro' });
  for (const w of report.warnings) annotate('warning', where(w), w.message);
  for (const p of report.problems) annotate('error', where(p), p.message);
  if (!report.valid) return 1;

  const client = new RulesClient({ bearerToken: TOKEN });
  const preview = await client.sync(rules, { prune: true, dryRun: true, tier: 'pro' });
  for (const r of preview.outcome.refused) {
    const rule = rules.find((rule) => rule.value === r.input.value);
    annotate(
      'error',
      rule?.locate() ?? top,
      r.status === 'invalid' ? r.details.join('; ') : `X refused this rule (${r.status})`,
    );
  }
  const { toAdd, toDelete, unchanged } = preview.plan;
  out.push(`plan: +${toAdd.length} -${toDelete.length} =${unchanged.length}`);
  if (!preview.ok) return 1;

  if (apply) {
    const { outcome, ok } = await client.sync(rules, { prune: true, tier: 'pro' });
    out.push(`added ${outcome.created.length}, deleted ${outcome.deleted}`);
    if (!ok) return 1;
  }
  return 0;
}

describe('the README CI script', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'birdstream-ci-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function write(text: string): Promise<string> {
    const file = join(dir, 'rules.json');
    await writeFile(file, text);
    return file;
  }

  test('a pull request previews, main applies, and a second run changes nothing', async () => {
    const x = new FakeRulesServer([{ value: 'old rule' }]);
    server.use(...x.handlers());
    const file = await write(
      '[\n  { "value": "cat has:images -is:retweet", "tag": "cats" },\n  { "value": "#nowplaying lang:en", "tag": "music" }\n]\n',
    );

    const pr: string[] = [];
    expect(await rulesCi(file, false, pr)).toBe(0);
    expect(pr).toEqual(['plan: +2 -1 =0']);
    expect(x.log).toEqual([]);

    const main: string[] = [];
    expect(await rulesCi(file, true, main)).toBe(0);
    expect(main).toEqual(['plan: +2 -1 =0', 'added 2, deleted 1']);
    expect(x.current().map((r) => r.value)).toEqual([
      'cat has:images -is:retweet',
      '#nowplaying lang:en',
    ]);

    const again: string[] = [];
    expect(await rulesCi(file, true, again)).toBe(0);
    expect(again).toEqual(['plan: +0 -0 =2', 'added 0, deleted 0']);
  });

  test('an invalid rule is annotated on its line and nothing is sent', async () => {
    const x = new FakeRulesServer();
    server.use(...x.handlers());
    const file = await write(
      '[\n  { "value": "cat" },\n  { "value": "has:media" },\n  { "value": "entity: Paris" }\n]',
    );
    const out: string[] = [];
    expect(await rulesCi(file, true, out)).toBe(1);
    expect(out).toEqual([
      `::warning file=${file},line=4,col=15::'entity:' is followed by a space, so it is read as the keyword 'entity:' and not as the entity: operator; write the value right after the colon, quoted if it has spaces, as in entity:"San Francisco" (at position 1)`,
      expect.stringMatching(
        new RegExp(
          `^::error file=${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')},line=3,col=15::The rule has no standalone operator`,
        ),
      ),
    ]);
    expect(x.requests).toEqual([]);
  });

  test('a broken file is annotated where it breaks', async () => {
    const file = await write('[\n  { "value": "cat" }\n  { "value": "dog" }\n]');
    const out: string[] = [];
    expect(await rulesCi(file, false, out)).toBe(1);
    expect(out).toEqual([
      `::error file=${file},line=3,col=3::Invalid JSON: unexpected '{': expected ',' or ']' after a value in a list.`,
    ]);
  });

  test('a rule X refuses in the dry run is annotated and stops the job', async () => {
    const x = new FakeRulesServer([], { maxLength: 10 });
    server.use(...x.handlers());
    const file = await write(
      '[{ "value": "short" },\n{ "value": "this one is too long for the fake" }]',
    );
    const out: string[] = [];
    expect(await rulesCi(file, true, out)).toBe(1);
    expect(out[0]).toMatch(
      /line=2,col=13::Rule 'this one is too long for the fake' exceeds the maximum length of a rule/,
    );
    expect(x.log).toEqual([]);
  });
});
