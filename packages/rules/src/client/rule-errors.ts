import type { ProblemDetails } from '@birdstream/core';
import { problemName } from '@birdstream/core/internal';
import {
  DuplicateRule,
  NoncompliantRules,
  RuleCap,
  UnprocessableEntity,
} from '../schemas/problems.js';

/** `DuplicateRule`: a rule with this value exists already; `existingId` is its id. */
export interface DuplicateRuleError {
  kind: 'duplicate';
  value: string;
  /** The id of the rule that already has this value. */
  existingId: string;
  message: string;
  problem: DuplicateRule;
}

/** `UnprocessableEntity` (`invalid-rules`): X refused the rule, for every reason in `details`. */
export interface InvalidRuleError {
  kind: 'invalid';
  value: string;
  /** X's reasons, each ending with `(at position N)`. */
  details: string[];
  message: string;
  problem: UnprocessableEntity;
}

/** `rule-cap`: the app or project already holds as many rules as its plan allows. */
export interface RuleCapError {
  kind: 'rule-cap';
  message: string;
  problem: RuleCap;
}

/** `noncompliant-rules`: X will not accept the rule. */
export interface NoncompliantRuleError {
  kind: 'noncompliant';
  value?: string;
  message: string;
  problem: NoncompliantRules;
}

/** Any other problem in `errors` (for example a delete of an id that does not exist). */
export interface OtherRuleError {
  kind: 'other';
  value?: string;
  /** The problem's name from its type URI, when it has one. */
  problemType?: string;
  message: string;
  /** The problem as X sent it. */
  problem: ProblemDetails;
}

/** One entry of `errors` in a rules response, typed by its problem type. */
export type RuleError =
  | DuplicateRuleError
  | InvalidRuleError
  | RuleCapError
  | NoncompliantRuleError
  | OtherRuleError;

/** Types one entry of a response's `errors` array; never throws. */
export function toRuleError(raw: unknown): RuleError {
  const problem: ProblemDetails =
    raw && typeof raw === 'object' && !Array.isArray(raw)
      ? (raw as ProblemDetails)
      : { detail: String(raw) };
  const name = problemName(problem.type);

  if (name === 'duplicate-rules' || problem.title === 'DuplicateRule') {
    const parsed = DuplicateRule.safeParse(problem);
    if (parsed.success) {
      return {
        kind: 'duplicate',
        value: parsed.data.value,
        existingId: parsed.data.id,
        message: `A rule with this value already exists (id ${parsed.data.id}).`,
        problem: parsed.data,
      };
    }
  }
  if (name === 'invalid-rules' || problem.title === 'UnprocessableEntity') {
    const parsed = UnprocessableEntity.safeParse(problem);
    if (parsed.success) {
      const { details } = parsed.data;
      return {
        kind: 'invalid',
        value: parsed.data.value,
        details,
        message: details.length > 0 ? details.join('; ') : parsed.data.title,
        problem: parsed.data,
      };
    }
  }
  if (name === 'rule-cap') {
    const parsed = RuleCap.safeParse(problem);
    if (parsed.success) {
      return {
        kind: 'rule-cap',
        message:
          parsed.data.detail ?? `${parsed.data.title}: the rule limit of the plan is reached.`,
        problem: parsed.data,
      };
    }
  }
  if (name === 'noncompliant-rules') {
    const parsed = NoncompliantRules.safeParse(problem);
    if (parsed.success) {
      const error: NoncompliantRuleError = {
        kind: 'noncompliant',
        message: parsed.data.details?.join('; ') ?? parsed.data.detail ?? parsed.data.title,
        problem: parsed.data,
      };
      if (parsed.data.value !== undefined) error.value = parsed.data.value;
      return error;
    }
  }
  return other(problem, name);
}

function other(problem: ProblemDetails, name: string | undefined): OtherRuleError {
  const text = (key: string) =>
    typeof problem[key] === 'string' ? (problem[key] as string) : undefined;
  // Some problems nest the reason: {"errors":[{"message":"…"}],"title":"Invalid Request"}.
  const nested = Array.isArray(problem.errors)
    ? (problem.errors as { message?: unknown }[]).find((e) => typeof e?.message === 'string')
        ?.message
    : undefined;
  const title = text('title');
  const message =
    text('detail') ??
    text('message') ??
    (typeof nested === 'string' ? (title ? `${title}: ${nested}` : nested) : title) ??
    'X reported a problem without a description.';
  const error: OtherRuleError = { kind: 'other', message, problem };
  const value = text('value');
  if (value !== undefined) error.value = value;
  if (name !== undefined) error.problemType = name;
  return error;
}
