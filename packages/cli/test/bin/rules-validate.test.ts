import { once } from 'node:events';
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../helpers/bin.js';
import { expectNoToken, expectOneLineError, positionOf, TOKEN, tempDir } from '../helpers/env.js';
import { type FakeX, startFakeX } from '../helpers/fake-x.js';

const files = tempDir();
afterAll(() => files.remove());

const VALID = `[
  { "value": "cats has:images", "tag": "cats" },
  { "value": "\\"golden retriever\\" -is:retweet" }
]
`;

const INVALID = `[
  { "value": "cats has:images", "tag": "cats" },
  { "value": "(dogs OR puppies has:media", "tag": "dogs" },
  { "value": "has:media" },
  { "value": "birds lang:xx" }
]
`;

const INVALID_YAML = `# Rules of the pets study
rules:
  - value: cats has:images   # photos only
    tag: cats

  - value: "has:media"
    tag: media
  - value: birds (sparrow OR finch
`;

describe('birdstream rules validate (offline)', () => {
  it('exits 0 and says so for a valid file, without annotations outside GitHub Actions', async () => {
    files.write('valid.json', VALID);
    const result = await runBin(['rules', 'validate', 'valid.json'], { cwd: files.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('valid.json: 2 rules checked offline');
    expect(result.stdout).toContain('✓ 2 rules valid.');
    expect(result.stdout).not.toContain('::');
    expect(result.stderr).toBe('');
  });

  it('exits 1 and points GitHub annotations at the offending character of each rule', async () => {
    files.write('rules.json', INVALID);
    const result = await runBin(['rules', 'validate', 'rules.json'], {
      cwd: files.dir,
      env: { GITHUB_ACTIONS: 'true' },
    });
    expect(result.code).toBe(1);
    const annotations = result.stdout.split('\n').filter((line) => line.startsWith('::'));
    const paren = positionOf(INVALID, '(dogs');
    const standalone = positionOf(INVALID, 'has:media" }');
    const lang = positionOf(INVALID, 'xx"');
    expect(annotations).toHaveLength(3);
    expect(annotations[0]).toMatch(
      new RegExp(
        `^::error file=rules\\.json,line=${paren.line},col=${paren.col}::Rule 2: Unbalanced parentheses`,
      ),
    );
    expect(annotations[1]).toMatch(
      new RegExp(
        `^::error file=rules\\.json,line=${standalone.line},col=${standalone.col}::Rule 3: .*standalone operator`,
      ),
    );
    expect(annotations[2]).toMatch(
      new RegExp(
        `^::error file=rules\\.json,line=${lang.line},col=${lang.col}::Rule 4: lang: does not support 'xx'`,
      ),
    );
    expect(result.stdout).toContain(
      `rules.json:${paren.line}:${paren.col}  error  Unbalanced parentheses`,
    );
    expect(result.stdout).toContain('✗ 3 of 4 rules invalid: 3 errors.');
  });

  it('reports a bad key and the problems of the same rule in one run', async () => {
    const text = `[
  { "value": "(dogs has:media", "tga": "dogs" },
  { "value": "form:XDevelopers cat" }
]
`;
    files.write('typo.json', text);
    const result = await runBin(['rules', 'validate', 'typo.json', '--json'], { cwd: files.dir });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    const paren = positionOf(text, '(dogs');
    expect(
      report.problems.map((p: { code: string; index: number; line: number; column: number }) => [
        p.code,
        p.index,
        p.line,
        p.column,
      ]),
    ).toEqual([
      ['unbalanced-parentheses', 0, paren.line, paren.col],
      ['unknown-key', 0, 2, positionOf(text, '"tga"').col],
      ['unknown-operator', 1, 3, positionOf(text, 'form:').col],
    ]);
    expect(report.problems[2].message).toContain("did you mean 'from:'?");
    expect(report.summary).toMatchObject({ rules: 2, invalid: 2, errors: 3 });
  });

  it('reads YAML rules files with comments, with the right line numbers', async () => {
    files.write('rules.yaml', INVALID_YAML);
    const result = await runBin(['rules', 'validate', 'rules.yaml'], {
      cwd: files.dir,
      env: { GITHUB_ACTIONS: 'true' },
    });
    expect(result.code).toBe(1);
    const annotations = result.stdout.split('\n').filter((line) => line.startsWith('::error'));
    expect(annotations.map((a) => /line=(\d+),col=(\d+)/.exec(a)?.slice(1).join(':'))).toEqual([
      `${positionOf(INVALID_YAML, 'has:media"').line}:${positionOf(INVALID_YAML, 'has:media"').col}`,
      `${positionOf(INVALID_YAML, '(sparrow').line}:${positionOf(INVALID_YAML, '(sparrow').col}`,
    ]);
  });

  it('prints a JSON report with --json, and moves annotations to stderr', async () => {
    files.write('rules.json', INVALID);
    const result = await runBin(['rules', 'validate', 'rules.json', '--json'], {
      cwd: files.dir,
      env: { GITHUB_ACTIONS: 'true' },
    });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({
      file: 'rules.json',
      format: 'json',
      valid: false,
      remote: false,
      summary: { rules: 4, valid: 1, invalid: 3, errors: 3, warnings: 0 },
    });
    expect(report.rules.map((r: { valid: boolean }) => r.valid)).toEqual([
      true,
      false,
      false,
      false,
    ]);
    expect(report.problems.map((p: { code: string; index: number }) => [p.code, p.index])).toEqual([
      ['unbalanced-parentheses', 1],
      ['no-standalone-operator', 2],
      ['argument-out-of-range', 3],
    ]);
    expect(result.stderr.split('\n').filter((l) => l.startsWith('::error'))).toHaveLength(3);
  });

  it('exits 1 with the line and column of a JSON syntax error', async () => {
    const text = '[\n  {"value": "cats"},\n  {"value": "dogs",}\n]\n';
    files.write('broken.json', text);
    const result = await runBin(['rules', 'validate', 'broken.json'], {
      cwd: files.dir,
      env: { GITHUB_ACTIONS: 'true' },
    });
    expect(result.code).toBe(1);
    const at = positionOf(text, '}\n]');
    expect(result.stdout).toContain(
      `::error file=broken.json,line=${at.line},col=${at.col}::Invalid JSON: trailing comma`,
    );
    expect(result.stdout).toContain(`broken.json:${at.line}:${at.col}  error  Invalid JSON`);
  });

  it('exits 2 with one line for a file that does not exist', async () => {
    const result = await runBin(['rules', 'validate', 'nope.json'], { cwd: files.dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expectOneLineError(result.stderr, /nope\.json: cannot read the rules file: no such file/);
  });

  it('exits 2 for usage errors: missing file argument, unknown flag, bad tier', async () => {
    const missing = await runBin(['rules', 'validate'], { cwd: files.dir });
    expect(missing.code).toBe(2);
    expectOneLineError(
      missing.stderr,
      /Missing argument <file>\. See 'birdstream rules validate --help'/,
    );
    const unknown = await runBin(['rules', 'validate', 'x.json', '--strict'], { cwd: files.dir });
    expect(unknown.code).toBe(2);
    expectOneLineError(unknown.stderr, /Unknown option '--strict'/);
    const tier = await runBin(['rules', 'validate', 'x.json', '--tier', 'gold'], {
      cwd: files.dir,
    });
    expect(tier.code).toBe(2);
    expectOneLineError(
      tier.stderr,
      /--tier must be one of pay-per-use, pro, academic, elevated, enterprise/,
    );
  });
});

describe('birdstream rules validate --remote', () => {
  let x: FakeX;
  beforeAll(async () => {
    x = await startFakeX({
      token: TOKEN,
      rules: [{ id: '1273636687768285186', value: 'cats has:images', tag: 'cats' }],
      refuse: (value) =>
        value.includes('xrefuses')
          ? `Too many positive clauses in rule - 100.  The maximum allowed is 30 (at position ${value.indexOf('xrefuses') + 1})`
          : undefined,
    });
  });
  afterAll(() => x.close());
  afterEach(() => {
    x.requests.length = 0;
  });

  it("asks X with dry_run=true, reports X's verdict per rule and changes nothing", async () => {
    const text =
      '[\n  {"value": "cats has:images", "tag": "cats"},\n  {"value": "dogs xrefuses"},\n  {"value": "birds"}\n]\n';
    files.write('remote.json', text);
    const result = await runBin(
      ['rules', 'validate', 'remote.json', '--remote', '--base-url', x.url],
      {
        cwd: files.dir,
        env: { X_BEARER_TOKEN: TOKEN, GITHUB_ACTIONS: 'true' },
      },
    );
    expect(result.code).toBe(1);
    const [request] = x.requests;
    expect(x.requests).toHaveLength(1);
    expect(request?.method).toBe('POST');
    expect(request?.query.get('dry_run')).toBe('true');
    expect(JSON.parse(request?.body ?? '{}').add).toEqual([
      { value: 'cats has:images', tag: 'cats' },
      { value: 'dogs xrefuses' },
      { value: 'birds' },
    ]);
    expect(x.rules.map((r) => r.value)).toEqual(['cats has:images']);
    expect(result.stdout).toContain(
      '✓ rule 1 "cats has:images": already on the server (id 1273636687768285186)',
    );
    expect(result.stdout).toContain('✗ rule 2 "dogs xrefuses": rejected');
    expect(result.stdout).toContain('✓ rule 3 "birds": accepted');
    const at = positionOf(text, 'xrefuses');
    expect(result.stdout).toContain(
      `::error file=remote.json,line=${at.line},col=${at.col}::Rule 2: Too many positive clauses in rule - 100.`,
    );
    expectNoToken(result);
  });

  it("lets X's verdict overrule an offline problem, as a warning", async () => {
    files.write('lang.json', '[{"value": "birds lang:xx"}]');
    const result = await runBin(['rules', 'validate', 'lang.json', '--remote', '--json'], {
      cwd: files.dir,
      env: { X_BEARER_TOKEN: TOKEN, BIRDSTREAM_BASE_URL: x.url },
    });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({
      valid: true,
      remote: true,
      summary: { errors: 0, warnings: 1 },
    });
    expect(report.rules[0]).toMatchObject({ valid: true, remote: 'accepted' });
    expect(report.problems[0]).toMatchObject({
      severity: 'warning',
      code: 'argument-out-of-range',
    });
  });

  it('exits 2 with one line, and never the token, when X rejects the token', async () => {
    files.write('valid.json', VALID);
    const result = await runBin(
      ['rules', 'validate', 'valid.json', '--remote', '--base-url', x.url],
      {
        cwd: files.dir,
        env: { X_BEARER_TOKEN: `${TOKEN}-revoked` },
      },
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expectOneLineError(
      result.stderr,
      /X rejected the bearer token \(401 Unauthorized\): check X_BEARER_TOKEN/,
    );
    expectNoToken(result);
  });

  it('exits 2 when the token is missing or the network fails', async () => {
    files.write('valid.json', VALID);
    const missing = await runBin(['rules', 'validate', 'valid.json', '--remote'], {
      cwd: files.dir,
    });
    expect(missing.code).toBe(2);
    expectOneLineError(
      missing.stderr,
      /No bearer token: set X_BEARER_TOKEN \(or TWITTER_BEARER_TOKEN\)/,
    );

    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as { port: number };
    closed.close();
    await once(closed, 'close');
    const offline = await runBin(
      ['rules', 'validate', 'valid.json', '--remote', '--base-url', `http://127.0.0.1:${port}`],
      { cwd: files.dir, env: { TWITTER_BEARER_TOKEN: TOKEN } },
    );
    expect(offline.code).toBe(2);
    expectOneLineError(offline.stderr, /ECONNREFUSED|connect|reach/i);
    expectNoToken(offline);
  });
});
