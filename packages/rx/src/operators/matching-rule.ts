import { ConfigError } from '@birdstream/core';
import { filter, type MonoTypeOperatorFunction } from 'rxjs';

/** A rule as listed in `matching_rules` (ids may arrive as JSON numbers in old captures). */
export interface RuleRef {
  id: string | number;
  tag?: string | null | undefined;
}

/** What `matchingRule` can filter: a response (`matching_rules`) or a hydrated post (`matchingRules`). */
export type WithMatchingRules =
  | { matching_rules?: readonly RuleRef[] | null | undefined }
  | { matchingRules: readonly RuleRef[] };

/**
 * Keeps the posts that matched a given rule, by tag or by rule id (a post
 * matching several rules lists them all). Pass rule ids as strings: 19-digit
 * ids do not fit a JavaScript number. Several tags or ids match any of them.
 *
 * @example
 * ```ts
 * stream.pipe(responses(), matchingRule('cats'));
 * stream.pipe(responses(), matchingRule(['cats', '1377649934414049282']));
 * ```
 */
export function matchingRule<T extends WithMatchingRules>(
  tagOrId: string | number | readonly (string | number)[],
): MonoTypeOperatorFunction<T> {
  const wanted = new Set((Array.isArray(tagOrId) ? tagOrId : [tagOrId]).map(toKey));
  if (wanted.size === 0) {
    throw new ConfigError('matchingRule: pass at least one rule tag or id.');
  }
  return filter((value: T) => {
    const rules =
      'matchingRules' in value ? value.matchingRules : (value.matching_rules ?? undefined);
    if (!rules) return false;
    return rules.some(
      (rule) =>
        wanted.has(String(rule.id)) || (typeof rule.tag === 'string' && wanted.has(rule.tag)),
    );
  });
}

function toKey(value: string | number): string {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new ConfigError(
        `matchingRule: rule id ${value} is not exact as a JavaScript number; pass rule ids as strings.`,
      );
    }
    return String(value);
  }
  if (typeof value !== 'string' || value === '') {
    throw new ConfigError('matchingRule: a rule tag or id must be a non-empty string.');
  }
  return value;
}
