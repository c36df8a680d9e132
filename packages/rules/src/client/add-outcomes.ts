import type { Rule } from '../schemas/rule.js';
import type { DuplicateRuleError, InvalidRuleError, RuleError } from './rule-errors.js';
import type { RuleInput } from './types.js';

/** What happened to one requested rule, matched back to it by value. */
export type AddRuleOutcome =
  | {
      /** Created (with `dryRun`: would be created; X generated an id but stored nothing). */
      status: 'created';
      input: RuleInput;
      rule: Rule;
    }
  | {
      /** A rule with this value exists already (`DuplicateRule`); nothing was created. */
      status: 'duplicate';
      input: RuleInput;
      /** The id of the rule that already has this value. */
      existingId: string;
      error: DuplicateRuleError;
    }
  | {
      /** X refused the rule (`UnprocessableEntity`); `details` says why. */
      status: 'invalid';
      input: RuleInput;
      details: string[];
      error: InvalidRuleError;
    }
  | {
      /** X refused the rule for another reason (`rule-cap`, `noncompliant-rules`, …). */
      status: 'rejected';
      input: RuleInput;
      error: RuleError;
    }
  | {
      /** Not created, and X said nothing about this rule. */
      status: 'unknown';
      input: RuleInput;
    };

/** Whitespace-insensitive key, for a second matching pass when X normalised a value. */
function loose(value: string): string {
  return value.trim().replace(/\s+/g, ' ');
}

/**
 * Matches the response back to the requested rules, by value: `data` is not
 * in request order (spec §3.2), and errors carry the rule's `value`. Errors
 * without a value (`rule-cap`) apply to every rule left unmatched.
 */
export function matchAddOutcomes(
  inputs: readonly RuleInput[],
  created: readonly Rule[],
  errors: readonly RuleError[],
): AddRuleOutcome[] {
  const outcomes: (AddRuleOutcome | undefined)[] = inputs.map(() => undefined);
  const pendingRules = [...created];
  const pendingErrors = errors.filter((e) => 'value' in e && e.value !== undefined);
  const general = errors.find((e) => !('value' in e) || e.value === undefined);

  for (const key of [(v: string) => v, loose]) {
    for (const [index, input] of inputs.entries()) {
      if (outcomes[index]) continue;
      const wanted = key(input.value);
      const ruleAt = pendingRules.findIndex((rule) => key(rule.value) === wanted);
      if (ruleAt !== -1) {
        const [rule] = pendingRules.splice(ruleAt, 1);
        outcomes[index] = { status: 'created', input, rule: rule! };
        continue;
      }
      const errorAt = pendingErrors.findIndex(
        (error) => 'value' in error && error.value !== undefined && key(error.value) === wanted,
      );
      if (errorAt !== -1) {
        const [error] = pendingErrors.splice(errorAt, 1);
        outcomes[index] = fromError(input, error!);
      }
    }
  }

  return outcomes.map(
    (outcome, index) =>
      outcome ??
      (general
        ? { status: 'rejected', input: inputs[index]!, error: general }
        : { status: 'unknown', input: inputs[index]! }),
  );
}

function fromError(input: RuleInput, error: RuleError): AddRuleOutcome {
  switch (error.kind) {
    case 'duplicate':
      return { status: 'duplicate', input, existingId: error.existingId, error };
    case 'invalid':
      return { status: 'invalid', input, details: error.details, error };
    default:
      return { status: 'rejected', input, error };
  }
}
