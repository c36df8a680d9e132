/**
 * One thing wrong with a rule, found offline.
 *
 * `code` is stable for machines (`too-long`, `ambiguous-or`, …); `message` is
 * for humans and, like X's own `details[]`, ends with `(at position N)`.
 */
export interface RuleProblem {
  /** Stable identifier of the kind of problem, such as `unknown-operator`. */
  code: RuleProblemCode;
  /** One sentence for humans, ending with `(at position N)` as X's messages do. */
  message: string;
  /** 1-based position in the rule value (UTF-16 code units), as in X's messages. */
  position: number;
  /** How many characters the problem spans, from `position`, when it is known. */
  length?: number;
}

/** Every `code` a {@link RuleProblem} can carry. */
export type RuleProblemCode =
  // errors: X would refuse the rule
  | 'empty-rule'
  | 'too-long'
  | 'too-many-positive-clauses'
  | 'ambiguous-or'
  | 'unbalanced-parentheses'
  | 'unbalanced-quotes'
  | 'unbalanced-brackets'
  | 'negated-group'
  | 'empty-group'
  | 'dangling-or'
  | 'only-negated'
  | 'no-standalone-operator'
  | 'unknown-operator'
  | 'invalid-argument'
  | 'argument-out-of-range'
  | 'negation-not-allowed'
  | 'must-be-negated'
  | 'unavailable-operator'
  // set-level errors (validateRules)
  | 'invalid-value'
  | 'duplicate-value'
  | 'too-many-rules'
  // warnings: the rule is accepted but probably does not do what was meant
  | 'operator-without-value'
  | 'operator-case'
  | 'and-keyword'
  | 'lone-dash'
  | 'undocumented-standalone';

/** The result of {@link validateRule}. */
export interface RuleValidation {
  /** `true` when `problems` is empty (warnings do not make a rule invalid). */
  valid: boolean;
  /** Every error found, sorted by position. */
  problems: RuleProblem[];
  /** Things X accepts but that probably do not do what was meant, sorted by position. */
  warnings: RuleProblem[];
}
