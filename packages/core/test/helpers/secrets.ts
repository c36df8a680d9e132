/**
 * Every string reachable from `value`: own properties (enumerable or not,
 * including symbols), `message`, `stack`, `cause` chains, array items, Map
 * and Headers entries, and `JSON.stringify` output. A secret must be in none.
 */
export function reachableStrings(value: unknown): string[] {
  const out: string[] = [];
  const seen = new Set<unknown>();
  const visit = (v: unknown, depth: number) => {
    if (depth > 12) return;
    if (typeof v === 'string') {
      out.push(v);
      return;
    }
    if (typeof v !== 'object' || v === null || seen.has(v)) return;
    seen.add(v);
    try {
      out.push(JSON.stringify(v) ?? '');
    } catch {
      // circular or BigInt: the walk below still covers it
    }
    if (v instanceof Error) {
      out.push(v.message, v.stack ?? '');
      visit((v as { cause?: unknown }).cause, depth + 1);
    }
    if (v instanceof Headers || v instanceof Map) {
      for (const [k, val] of (v as Map<unknown, unknown>).entries()) {
        visit(k, depth + 1);
        visit(val, depth + 1);
      }
    }
    if (v instanceof URL) out.push(v.href);
    for (const key of Reflect.ownKeys(v)) {
      if (typeof key === 'string') out.push(key);
      let child: unknown;
      try {
        child = (v as Record<string | symbol, unknown>)[key];
      } catch {
        continue;
      }
      visit(child, depth + 1);
    }
  };
  visit(value, 0);
  return out;
}
