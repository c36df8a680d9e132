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

/** How many characters of a too-long rule its message shows. */
const TOO_LONG_PREFIX = 40;

/**
 * X's own wording for the problems it has been recorded to report (spec §3.4),
 * except that a too-long rule is not repeated whole (X's message does): its
 * first 40 characters identify it.
 */
export const X_MESSAGES = {
  tooLong: (value: string, length: number, max: number) =>
    `Rule '${value.length > TOO_LONG_PREFIX ? `${value.slice(0, TOO_LONG_PREFIX)}…` : value}' exceeds the maximum length of a rule. It is ${length} characters while the maximum allowed is ${max}; shorten it or split it into several rules`,
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
