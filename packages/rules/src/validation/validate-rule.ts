import { collectLeaves, RuleChecks } from './checks.js';
import { problemAt } from './messages.js';
import { parse } from './parser.js';
import { type RuleTier, resolveLimits } from './tiers.js';
import { tokenize } from './tokenizer.js';
import type { RuleValidation } from './types.js';

/** Options of {@link validateRule}. */
export interface ValidateRuleOptions {
  /**
   * Longest rule allowed, in characters (UTF-16 code units, the whole string
   * including spaces and operators). Overrides the tier's limit.
   * @default 1024 (the tier's limit when `tier` is set)
   */
  maxLength?: number;
  /**
   * Your X access level. Sets `maxLength` (512 elevated, 1,024 pay-per-use /
   * pro / academic, 2,048 enterprise) and reports operators the tier cannot
   * use (`embedding:` outside enterprise).
   * @default undefined (1,024 characters; every operator allowed)
   */
  tier?: RuleTier;
}

/**
 * Checks a rule value offline, without calling X, and returns every problem
 * with its position, worded like X's own messages (`… (at position N)`,
 * 1-based). Covers length, parentheses, quotes, negated groups, standalone
 * operators, unknown operators and their values (`sample:`, `~N`, `lang:`,
 * geo boxes), lowercase `or`, and the 30 positive clauses limit.
 *
 * Passing does not guarantee X accepts the rule (X's parser is not public and
 * its limits change), but every problem reported here is one X reports too.
 *
 * @example
 * ```ts
 * const { valid, problems } = validateRule('has:media', { tier: 'pro' });
 * // valid === false
 * // problems[0].code === 'no-standalone-operator'
 * ```
 */
export function validateRule(value: string, options: ValidateRuleOptions = {}): RuleValidation {
  const limits = resolveLimits(options);
  const checks = new RuleChecks(value, { maxLength: limits.maxLength, tier: options.tier });

  if (typeof value !== 'string') {
    checks.problems.push(
      problemAt(
        'invalid-value',
        0,
        undefined,
        `A rule value must be a string, got ${typeof value}`,
      ),
    );
    return { valid: false, ...checks.result() };
  }
  if (value.trim() === '') {
    checks.problems.push(
      problemAt('empty-rule', 0, undefined, 'A rule needs a value; this one is empty'),
    );
    return { valid: false, ...checks.result() };
  }

  checks.length();
  const { tokens, issues: tokenIssues } = tokenize(value);
  checks.tokenIssues(tokenIssues);
  const { root, issues: parseIssues } = parse(tokens);
  checks.parseIssues(parseIssues);

  const leaves = collectLeaves(root);
  checks.terms(leaves);
  checks.clauses(leaves);
  if (root) checks.anchoring(root, leaves);
  if (leaves.length === 0 && checks.problems.length === 0) {
    checks.problems.push(
      problemAt('empty-rule', 0, value.length, 'A rule needs at least one term'),
    );
  }

  const result = checks.result();
  return { valid: result.problems.length === 0, ...result };
}
