import { compileRule, type MatchInput, type RulePredicate } from './rule-matcher.js';

/** A filtered-stream rule as X stores it. */
export interface StoredRule {
  id: string;
  value: string;
  tag?: string;
}

interface Entry extends StoredRule {
  matches: RulePredicate;
}

/** One entry of a post's `matching_rules`. */
export interface MatchingRule {
  id: string;
  tag: string;
}

/**
 * The app's filtered-stream rules, in creation order. Rules are matched
 * against every post the filtered stream considers.
 */
export class RuleStore {
  private readonly entries = new Map<string, Entry>();
  private readonly byValue = new Map<string, string>();

  get size(): number {
    return this.entries.size;
  }

  list(): StoredRule[] {
    return [...this.entries.values()].map(({ id, value, tag }) =>
      tag === undefined ? { id, value } : { id, value, tag },
    );
  }

  get(id: string): StoredRule | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    return entry.tag === undefined
      ? { id: entry.id, value: entry.value }
      : { id: entry.id, value: entry.value, tag: entry.tag };
  }

  idOfValue(value: string): string | undefined {
    return this.byValue.get(value);
  }

  add(rule: StoredRule): void {
    this.entries.set(rule.id, { ...rule, matches: compileRule(rule.value) });
    this.byValue.set(rule.value, rule.id);
  }

  delete(id: string): boolean {
    const entry = this.entries.get(id);
    if (!entry) return false;
    this.entries.delete(id);
    this.byValue.delete(entry.value);
    return true;
  }

  clear(): void {
    this.entries.clear();
    this.byValue.clear();
  }

  /**
   * The rules a post matches, as `matching_rules` lists them. A rule without
   * a tag is listed with `tag: ""`, as X has been seen to send it.
   */
  match(facts: MatchInput): MatchingRule[] {
    const out: MatchingRule[] = [];
    for (const entry of this.entries.values()) {
      if (entry.matches(facts)) out.push({ id: entry.id, tag: entry.tag ?? '' });
    }
    return out;
  }
}
