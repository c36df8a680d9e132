import { readFixtureJson } from '@birdstream/test-utils';
import { describe, expect, test } from 'vitest';
import {
  MAX_POSITIVE_CLAUSES,
  OPERATORS,
  RULE_TIERS,
  type RuleProblemCode,
  validateRule,
} from '../../src/index.js';

interface AddBody {
  data?: { value: string }[];
  errors?: { value: string; details?: string[]; title: string }[];
}

describe('against the rules X refused (recorded)', () => {
  const body = readFixtureJson<AddBody>('rules/add_200_invalid_rule_unprocessable_entity.json');
  const refused = body.errors?.[0];

  test('reports exactly the problems X reported, with the same messages and positions', () => {
    expect(refused?.title).toBe('UnprocessableEntity');
    const result = validateRule(refused!.value, { maxLength: 512 });
    expect(result.valid).toBe(false);
    // X lists its details in no particular order; compare as sorted lists. X's length message
    // repeats the whole rule; ours shows its first 40 characters, then the same length and limit.
    const isLength = (message: string) => message.includes('exceeds the maximum length');
    const xLength = refused!.details!.find(isLength) ?? '';
    const ours = result.problems.map((p) => p.message);
    expect(ours.filter((m) => !isLength(m)).sort()).toEqual(
      refused!.details!.filter((m) => !isLength(m)).sort(),
    );
    const [, length, max] =
      /It is (\d+) characters while the maximum allowed is (\d+)/.exec(xLength) ?? [];
    expect(ours.filter(isLength)).toEqual([
      `Rule '${refused!.value.slice(0, 40)}…' exceeds the maximum length of a rule. It is ${length} characters while the maximum allowed is ${max}; shorten it or split it into several rules (at position 1)`,
    ]);
  });

  test('a too-long rule is not repeated whole: its length, the limit and a short prefix', () => {
    const value = `cat ${'word '.repeat(300)}`;
    const [problem] = validateRule(value).problems;
    expect(problem?.code).toBe('too-long');
    expect(problem?.message).not.toContain(value.slice(0, 60));
    expect(problem?.message).toContain(`It is ${value.length} characters`);
    expect(problem?.message).toContain('maximum allowed is 1024');
    expect(problem?.message).toContain(`'${value.slice(0, 40)}…'`);
  });

  test('each problem carries a stable code and X position', () => {
    const result = validateRule(refused!.value, { maxLength: 512 });
    const codes = new Set(result.problems.map((p) => p.code));
    expect(codes).toEqual(new Set(['too-long', 'too-many-positive-clauses', 'ambiguous-or']));
    const ors = result.problems.filter((p) => p.code === 'ambiguous-or');
    expect(ors).toHaveLength(37);
    for (const p of ors) expect(refused!.value.slice(p.position - 1, p.position + 1)).toBe('or');
    expect(result.problems.find((p) => p.code === 'too-long')?.position).toBe(1);
  });

  test('with the current 1,024 limit the length problem goes away but the others stay', () => {
    const result = validateRule(refused!.value);
    expect(result.problems.some((p) => p.code === 'too-long')).toBe(false);
    expect(result.problems.some((p) => p.code === 'too-many-positive-clauses')).toBe(true);
  });
});

describe('against the rules X accepted (recorded)', () => {
  const accepted = [
    ...(readFixtureJson<AddBody>('rules/add_201_created.json').data ?? []),
    ...(readFixtureJson<AddBody>('rules/add_201_dry_run.json').data ?? []),
    ...(readFixtureJson<AddBody>('rules/get_200_rules.json').data ?? []),
    ...(readFixtureJson<AddBody>('rules/add_partial_duplicate_rule_newrelic_readme.json').data ??
      []),
    // A DuplicateRule means the value was valid: X had stored it before.
    ...(readFixtureJson<AddBody>('rules/add_partial_duplicate_rule_newrelic_readme.json').errors ??
      []),
  ].map((rule) => rule.value);

  test('covers every recorded accepted value', () => {
    expect(accepted).toEqual(
      expect.arrayContaining([
        'meme has:images',
        'puppy has:media',
        'tostones recipe',
        '@newrelic',
        'entity: San Francisco',
        'cat has:images',
      ]),
    );
  });

  test.each(accepted)('%s passes', (value) => {
    expect(validateRule(value, { maxLength: 512 }).problems).toEqual([]);
  });

  test('"entity: San Francisco" passes with a warning that entity: has no value', () => {
    const { valid, warnings } = validateRule('entity: San Francisco');
    expect(valid).toBe(true);
    expect(warnings).toEqual([
      expect.objectContaining({ code: 'operator-without-value', position: 1 }),
    ]);
  });
});

/** [rule, expected problem codes (empty: valid)] drawn from X's operator list (spec §3.6). */
const TABLE: [string, RuleProblemCode[]][] = [
  // valid: every standalone operator, with and without conjunction-required ones
  ['cat', []],
  ['snow day #NoSchool', []],
  ['grumpy OR cat OR #meme', []],
  ['(grumpy cat) OR (#meme has:images)', []],
  ['pepsi OR cola OR "coca cola"', []],
  ['(😃 OR 😡) 😬', []],
  ['("X API" OR #v2) -"filtered stream"', []],
  ['"social media"~5', []],
  ['#thankunext #fanart', []],
  ['(@XDevelopers OR @api) -@x', []],
  ['$twtr OR @XDevelopers -$fb', []],
  ['from:XDevelopers OR from:api', []],
  ['to:XDevelopers OR to:api', []],
  ['retweets_of:XDevelopers', []],
  ['from_affiliate_of:XDevelopers', []],
  ['url:"https://developer.x.com"', []],
  ['context:10.799022225751871488 OR context:47.*', []],
  ['entity:"Michael Jordan"', []],
  ['conversation_id:1334987486343299072', []],
  ['bio:developer OR bio:"data engineer"', []],
  ['bio_location:"big apple" OR bio_location:nyc', []],
  ['place:"new york city" OR place:seattle', []],
  ['place_country:US OR place_country:MX', []],
  ['point_radius:[2.355128 48.861118 16km]', []],
  ['bounding_box:[-105.301758 39.964069 -105.178505 40.09455]', []],
  ['data @XDevelopers -is:retweet', []],
  ['"mobile games" -is:nullcast', []],
  ['"X data" has:mentions (has:media OR has:links)', []],
  ['#nowplaying @spotify sample:15', []],
  ['recommend #paris lang:en has:geo', []],
  ['#nowplaying lang:zh-CN', []],
  ['from:XDevelopers -has:hashtags is:reply', []],
  ['cat (has:media OR -dog)', []],
  ['-is:retweet has:geo (from:NWSNHC OR from:NHC_Atlantic)', []],
  ['(happy OR happiness) place_country:GB -birthday -is:retweet', []],
  [
    'context:65.852262932607926273 -context:66.852262932607926273 -is:retweet has:images lang:ja',
    [],
  ],
  ['"say \\"hi\\"" greeting', []],
  ['10:30 meeting', []],
  ['e-mail newsletter', []],
  // invalid
  ['has:media', ['no-standalone-operator']],
  ['has:links OR is:retweet', ['no-standalone-operator', 'no-standalone-operator']],
  ['cat OR has:media', ['no-standalone-operator']],
  ['lang:en sample:10', ['no-standalone-operator']],
  ['-cat', ['only-negated']],
  ['-cat -dog -is:retweet', ['only-negated']],
  ['-cat OR dog', ['only-negated']],
  ['skiing -(snow OR day OR noschool)', ['negated-group']],
  ['(cat OR dog', ['unbalanced-parentheses']],
  ['cat OR dog)', ['unbalanced-parentheses']],
  ['"cat dog', ['unbalanced-quotes']],
  ['cat ()', ['empty-group']],
  ['cat OR', ['dangling-or']],
  ['OR cat', ['dangling-or']],
  ['cat OR OR dog', ['dangling-or']],
  ['cat or dog', ['ambiguous-or']],
  ['foo:bar cat', ['unknown-operator']],
  ['is:funny cat', ['unknown-operator']],
  ['has:emoji cat', ['unknown-operator']],
  ['cat sample:0', ['argument-out-of-range']],
  ['cat sample:101', ['argument-out-of-range']],
  ['cat sample:ten', ['invalid-argument']],
  ['cat -sample:10', ['negation-not-allowed']],
  ['"social media"~7', ['argument-out-of-range']],
  ['"social media"~x', ['invalid-argument']],
  ['cat lang:xx', ['argument-out-of-range']],
  ['cat is:nullcast', ['must-be-negated']],
  ['context:abc', ['invalid-argument']],
  ['from:not-a-user!', ['invalid-argument']],
  ['conversation_id:12ab', ['invalid-argument']],
  ['place_country:USA', ['invalid-argument']],
  ['point_radius:[2.355128 48.861118 50km]', ['argument-out-of-range']],
  ['point_radius:[200 48.861118 5km]', ['argument-out-of-range']],
  ['point_radius:[2.355128 48.861118]', ['invalid-argument']],
  ['point_radius:[2.355128 48.861118 5km', ['unbalanced-brackets']],
  ['bounding_box:[-106 39 -104 41]', ['argument-out-of-range']],
  ['followers_count:100..10 cat', ['argument-out-of-range']],
  ['embedding:"electric cars" -embedding:"gas"', ['negation-not-allowed']],
  ['""', ['invalid-argument']],
  ['', ['empty-rule']],
  ['   ', ['empty-rule']],
  ['-', ['empty-rule']],
];

describe('operator table', () => {
  test('has at least 40 rules, valid and invalid', () => {
    expect(TABLE.filter(([, codes]) => codes.length === 0).length).toBeGreaterThanOrEqual(20);
    expect(TABLE.filter(([, codes]) => codes.length > 0).length).toBeGreaterThanOrEqual(20);
  });

  test.each(TABLE)('%j → %j', (rule, codes) => {
    const result = validateRule(rule);
    expect(result.problems.map((p) => p.code)).toEqual(codes);
    expect(result.valid).toBe(codes.length === 0);
  });

  test.each(OPERATORS.map((spec) => [spec.name, spec.example] as const))(
    'the documented example of %s is valid',
    (_name, example) => {
      expect(validateRule(example, { tier: 'enterprise' }).problems).toEqual([]);
    },
  );
});

describe('positions and messages', () => {
  test('positions are 1-based and every message ends with (at position N)', () => {
    const result = validateRule('cat foo:bar (dog');
    expect(result.problems).toEqual([
      expect.objectContaining({ code: 'unknown-operator', position: 5 }),
      expect.objectContaining({ code: 'unbalanced-parentheses', position: 13 }),
    ]);
    for (const p of result.problems)
      expect(p.message).toMatch(new RegExp(`\\(at position ${p.position}\\)$`));
  });

  test.each([
    [
      'form:XDevelopers cat',
      "Reference to invalid operator 'form'; did you mean 'from:'? (at position 1)",
    ],
    [
      'cat is:retwet',
      "Reference to invalid operator 'is:retwet'; did you mean 'is:retweet'? (at position 5)",
    ],
    [
      'cat -has:imgaes',
      "Reference to invalid operator 'has:imgaes'; did you mean 'has:images'? (at position 6)",
    ],
    [
      'cat xyzzy:plugh',
      'Reference to invalid operator \'xyzzy\'; filtered stream rules have no such operator (to match the text, quote it: "xyzzy:plugh") (at position 5)',
    ],
  ])('an unknown operator gets a did-you-mean or a way out: %s', (value, message) => {
    const problems = validateRule(value).problems.filter((p) => p.code === 'unknown-operator');
    expect(problems.map((p) => p.message)).toEqual([message]);
    expect(message).not.toContain('OPERATORS');
  });

  test('returns every problem at once, sorted by position', () => {
    const result = validateRule('is:nullcast -sample:5 (cat or lang:xx');
    expect(result.problems.map((p) => [p.code, p.position])).toEqual([
      ['must-be-negated', 1],
      ['negation-not-allowed', 13],
      ['unbalanced-parentheses', 23],
      ['ambiguous-or', 28],
      ['argument-out-of-range', 36],
    ]);
  });

  test('points at the value of an operator', () => {
    const [problem] = validateRule('cat sample:500').problems;
    expect(problem).toMatchObject({ code: 'argument-out-of-range', position: 12, length: 3 });
    expect(problem?.message).toBe('sample: must be between 1 and 100, got 500 (at position 12)');
  });

  test('every unanchored OR branch is reported where it starts', () => {
    const problems = validateRule('cat OR has:media OR dog OR is:quote').problems;
    expect(problems.map((p) => [p.code, p.position])).toEqual([
      ['no-standalone-operator', 8],
      ['no-standalone-operator', 28],
    ]);
  });
});

describe('limits', () => {
  test('length: default 1,024, tier presets, explicit maxLength wins', () => {
    const long = `cat ${'x'.repeat(600)}`;
    expect(validateRule(long).valid).toBe(true);
    expect(validateRule(long, { tier: 'elevated' }).problems[0]).toMatchObject({
      code: 'too-long',
      position: 1,
    });
    expect(validateRule(long, { tier: 'elevated', maxLength: 2048 }).valid).toBe(true);
    const veryLong = `cat ${'x'.repeat(1100)}`;
    expect(validateRule(veryLong).problems[0]?.message).toContain(
      'It is 1104 characters while the maximum allowed is 1024',
    );
    expect(validateRule(veryLong, { tier: 'enterprise' }).valid).toBe(true);
    expect(RULE_TIERS.enterprise.maxLength).toBe(2048);
  });

  test('positive clauses: 30 pass, 31 fail; negated terms do not count', () => {
    const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');
    expect(validateRule(words(MAX_POSITIVE_CLAUSES)).valid).toBe(true);
    expect(validateRule(`${words(MAX_POSITIVE_CLAUSES)} -a -b -c`).valid).toBe(true);
    expect(validateRule(words(MAX_POSITIVE_CLAUSES + 1)).problems[0]?.message).toBe(
      'Too many positive clauses in rule - 31.  The maximum allowed is 30 (at position 1)',
    );
  });

  test('embedding: is an unavailable operator outside enterprise when a tier is given', () => {
    expect(validateRule('embedding:"electric cars"').valid).toBe(true);
    expect(validateRule('embedding:"electric cars"', { tier: 'enterprise' }).valid).toBe(true);
    expect(validateRule('embedding:"electric cars"', { tier: 'pro' }).problems[0]?.code).toBe(
      'unavailable-operator',
    );
  });

  test('bad options are ConfigErrors', () => {
    expect(() => validateRule('cat', { maxLength: 0 })).toThrow(
      /maxLength must be a positive whole number/,
    );
    expect(() => validateRule('cat', { tier: 'gold' as never })).toThrow(
      /Unknown rule tier "gold"/,
    );
  });
});

describe('warnings', () => {
  test.each([
    ['cat AND dog', 'and-keyword', 5],
    ['cat - dog', 'lone-dash', 5],
    ['FROM:XDevelopers', 'operator-case', 1],
    ['min_followers:1000', 'undocumented-standalone', 1],
  ] as const)('%s warns %s', (rule, code, position) => {
    const result = validateRule(rule);
    expect(result.valid).toBe(true);
    expect(result.warnings).toEqual([expect.objectContaining({ code, position })]);
  });

  test('no undocumented-standalone warning when a documented standalone term is there', () => {
    expect(validateRule('cat min_followers:1000').warnings).toEqual([]);
  });

  test('a non-string value is a problem, not a crash', () => {
    expect(validateRule(42 as unknown as string).problems[0]?.code).toBe('invalid-value');
  });
});
