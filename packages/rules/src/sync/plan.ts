import type { RuleInput } from '../client/types.js';
import type { Rule } from '../schemas/rule.js';

/** What {@link RulesClient.sync} will do, worked out by comparing values. */
export interface SyncPlan {
  /** Rules to add: new values, and values whose tag changes (listed in `retagged` too). */
  toAdd: RuleInput[];
  /** Server rules to delete: the old rule of each tag change, and (with `prune`) rules not desired. */
  toDelete: Rule[];
  /** Desired rules already on the server with the same tag. */
  unchanged: Rule[];
  /** Values whose tag changes: X cannot edit a tag, so the rule is deleted and added again. */
  retagged: { from: Rule; to: RuleInput }[];
  /** Server rules not in the desired set, kept because `prune` is off. */
  unmanaged: Rule[];
}

/** A missing tag, `null` and `""` all mean "no tag" (spec §7.2). */
export function sameTag(a: string | null | undefined, b: string | null | undefined): boolean {
  return (a || undefined) === (b || undefined);
}

/**
 * Diffs the desired rules against the server's, by exact value: a value on
 * both sides with the same tag is unchanged; with another tag it is deleted
 * and added again; desired values missing on the server are added; server
 * values not desired are deleted only with `prune`.
 */
export function planSync(
  desired: readonly RuleInput[],
  current: readonly Rule[],
  prune: boolean,
): SyncPlan {
  const byValue = new Map(current.map((rule) => [rule.value, rule]));
  const wanted = new Set(desired.map((rule) => rule.value));
  const plan: SyncPlan = { toAdd: [], toDelete: [], unchanged: [], retagged: [], unmanaged: [] };

  for (const rule of desired) {
    const existing = byValue.get(rule.value);
    if (!existing) {
      plan.toAdd.push(rule);
    } else if (sameTag(existing.tag, rule.tag)) {
      plan.unchanged.push(existing);
    } else {
      plan.retagged.push({ from: existing, to: rule });
      plan.toAdd.push(rule);
      plan.toDelete.push(existing);
    }
  }
  for (const rule of current) {
    if (wanted.has(rule.value)) continue;
    if (prune) plan.toDelete.push(rule);
    else plan.unmanaged.push(rule);
  }
  return plan;
}
