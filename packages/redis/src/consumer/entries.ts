/** A stream entry as ioredis returns it: `[id, [field, value, …]]`. */
export type RawEntry = [id: string, fields: string[]];

/** The value of `field` in a flat field list, or undefined. */
export function fieldOf(fields: readonly string[], field: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === field) return fields[i + 1];
  return undefined;
}

/** Entries of an `XREADGROUP` reply for one stream (`null` when the block timed out). */
export function entriesOfRead(reply: unknown): RawEntry[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  const [, entries] = reply[0] as [string, (RawEntry | null)[]];
  return (entries ?? []).filter((e): e is RawEntry => Array.isArray(e) && Array.isArray(e[1]));
}

/** `[next cursor, entries]` of an `XAUTOCLAIM` reply (deleted entries come back as nil and are skipped). */
export function entriesOfAutoclaim(reply: unknown): [string, RawEntry[]] {
  const [cursor, entries] = reply as [string, (RawEntry | null)[]];
  return [
    String(cursor),
    (entries ?? []).filter((e): e is RawEntry => Array.isArray(e) && Array.isArray(e[1])),
  ];
}
