import { byPosition, problemAt } from './messages.js';
import { resolveLimits } from './tiers.js';
import type { RuleProblem, RuleValidation } from './types.js';
import { type ValidateRuleOptions, validateRule } from './validate-rule.js';

/** Options of {@link validateRules}. */
export interface ValidateRulesOptions extends ValidateRuleOptions {
  /**
   * Most rules the app may hold. Overrides the tier's limit.
   * @default 1000 (the tier's limit when `tier` is set: 25 elevated, 25,000 enterprise)
   */
  maxRules?: number;
}

/** A problem in a set of rules: a rule's own problem, or one of the set (duplicates, too many). */
export interface RuleSetProblem extends RuleProblem {
  /** Index of the rule in the input; absent for problems of the whole set (`too-many-rules`). */
  index?: number;
}

/** The result of {@link validateRules}. */
export interface RuleSetValidation {
  /** `true` when no rule and no set-level check has a problem. */
  valid: boolean;
  /** Every problem, in input order (set-level problems first). */
  problems: RuleSetProblem[];
  /** Every warning, in input order. */
  warnings: RuleSetProblem[];
  /** Each rule's own result, in input order. */
  rules: RuleValidation[];
}

/** What {@link validateRules} accepts: rule values, or rules with a tag. */
export type RuleLike =
  | string
  | { readonly value: string; readonly tag?: string | null | undefined };

/**
 * Checks a whole rule set offline: every rule with {@link validateRule}, plus
 * duplicate values (X refuses them as `DuplicateRule`) and more rules than
 * the tier allows.
 *
 * @example
 * ```ts
 * const report = validateRules([{ value: 'cat has:images' }, { value: 'cat has:images' }]);
 * // report.problems[0]: { code: 'duplicate-value', index: 1, … }
 * ```
 */
export function validateRules(
  rules: readonly RuleLike[],
  options: ValidateRulesOptions = {},
): RuleSetValidation {
  const { maxRules } = resolveLimits(options);
  const problems: RuleSetProblem[] = [];
  const warnings: RuleSetProblem[] = [];

  if (rules.length > maxRules) {
    // A problem of the whole set: no rule and no position in a rule to point at.
    problems.push({
      code: 'too-many-rules',
      message: `There are ${rules.length} rules but the limit is ${maxRules}${options.tier ? ` on the ${options.tier} tier` : ''}; remove ${rules.length - maxRules} or combine some with OR.`,
      position: 1,
    });
  }

  const firstIndex = new Map<string, number>();
  const results = rules.map((rule, index) => {
    const value = typeof rule === 'string' ? rule : rule?.value;
    const result = validateRule(value as string, options);
    for (const problem of result.problems) problems.push({ ...problem, index });
    for (const warning of result.warnings) warnings.push({ ...warning, index });
    if (typeof value === 'string' && value.trim() !== '') {
      const first = firstIndex.get(value);
      if (first === undefined) {
        firstIndex.set(value, index);
      } else {
        problems.push({
          ...problemAt(
            'duplicate-value',
            0,
            value.length,
            `Rule ${index + 1} has the same value as rule ${first + 1}; X refuses duplicates (DuplicateRule), keep one`,
          ),
          index,
        });
      }
    }
    return result;
  });

  return {
    valid: problems.length === 0,
    problems: problems.sort(byIndex),
    warnings: warnings.sort(byIndex),
    rules: results,
  };
}

function byIndex(a: RuleSetProblem, b: RuleSetProblem): number {
  return (a.index ?? -1) - (b.index ?? -1) || byPosition(a, b);
}
