import type { LocatedRule, SourcePosition } from './types.js';

/**
 * Where one of X's reasons for refusing a rule points in the file: X ends
 * them with "(at position N)", the 1-based character of the rule's value;
 * without one, the value's first character.
 */
export function locateDetail(rule: LocatedRule, detail: string): SourcePosition {
  const match = /\(at position (\d+)\)\s*$/.exec(detail);
  return rule.locate(match ? Number(match[1]) : undefined);
}
