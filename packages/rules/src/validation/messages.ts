import type { RuleProblem, RuleProblemCode } from './types.js';

/**
 * Builds a problem at a 0-based offset. The message gets X's suffix
 * `(at position N)` with N 1-based, as in X's `details[]`.
 */
export function problemAt(
  code: RuleProblemCode,
  offset: number,
  length: number | undefined,
  text: string,
): RuleProblem {
  const position = offset + 1;
  const problem: RuleProblem = { code, message: `${text} (at position ${position})`, position };
  if (length !== undefined && length > 0) problem.length = length;
  return problem;
}

/** X's own wording for the problems it has been recorded to report (spec §3.4). */
export const X_MESSAGES = {
  tooLong: (value: string, length: number, max: number) =>
    `Rule '${value}' exceeds the maximum length of a rule. It is ${length} characters while the maximum allowed is ${max}`,
  tooManyPositiveClauses: (count: number, max: number) =>
    `Too many positive clauses in rule - ${count}.  The maximum allowed is ${max}`,
  ambiguousOr:
    'Ambiguous use of or as a keyword. Use OR to logically join two clauses, or "or" to find occurrences of or in text',
  onlyNegated: 'Rules must contain a non-negation term',
  invalidOperator: (name: string) => `Reference to invalid operator '${name}'`,
} as const;

/** Sorts problems by position, then code, so output is stable. */
export function byPosition(a: RuleProblem, b: RuleProblem): number {
  return a.position - b.position || a.code.localeCompare(b.code);
}
