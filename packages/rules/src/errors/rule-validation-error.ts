import { ConfigError, isConfigError } from '@birdstream/core';
import type { RuleSetProblem } from '../validation/validate-rules.js';

const MAX_VALUE_IN_MESSAGE = 60;

/**
 * Rules failed offline validation, so nothing was sent to X. `problems` lists
 * every problem with the index of its rule and its position in the value;
 * the message lists them too, one per line.
 */
export class RuleValidationError extends ConfigError {
  override name = 'RuleValidationError';
  /** Every problem found, with `index` pointing into the rules given. */
  readonly problems: RuleSetProblem[];

  constructor(problems: RuleSetProblem[], values: readonly (string | undefined)[], action: string) {
    const invalid = new Set(problems.map((p) => p.index ?? -1));
    invalid.delete(-1);
    const lines = problems.map((p) => {
      if (p.index === undefined) return `  - ${p.message}`;
      const value = values[p.index] ?? '';
      const shown =
        value.length > MAX_VALUE_IN_MESSAGE ? `${value.slice(0, MAX_VALUE_IN_MESSAGE)}…` : value;
      return `  - rule ${p.index + 1} ${JSON.stringify(shown)}: ${p.message}`;
    });
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    const rules =
      invalid.size === 0 ? 'the rule set' : invalid.size === 1 ? '1 rule' : `${invalid.size} rules`;
    super(
      `${action} stopped before sending anything: offline validation found ${count} in ${rules}. Fix them and run again:\n${lines.join('\n')}`,
    );
    this.problems = problems;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), problems: this.problems };
  }
}

/** True for a {@link RuleValidationError} (from any copy of the package). */
export function isRuleValidationError(value: unknown): value is RuleValidationError {
  return isConfigError(value) && value.name === 'RuleValidationError';
}
