/** X's snowflake epoch (2010-11-04T01:42:54.657Z). */
const TWEPOCH = 1_288_834_974_657n;

/**
 * The creation time (epoch ms) encoded in an X snowflake id (posts, and
 * other ids minted since 2010), or `undefined` for anything that is not
 * one. Lets birdstream tell how old a post is without `created_at`.
 *
 * @example
 * ```ts
 * new Date(snowflakeTime('1377650090978992134')!).toISOString(); // '2021-04-01T15:52:31.847Z'
 * ```
 */
export function snowflakeTime(id: string): number | undefined {
  if (!/^[0-9]{16,19}$/.test(id)) return undefined;
  return Number((BigInt(id) >> 22n) + TWEPOCH);
}

/**
 * When the item of a stream message was created, epoch ms: `data.created_at`
 * (posts that requested it, likes), the `event_at` of a compliance event,
 * or the time in a snowflake `data.id`; `undefined` when the message tells
 * none. Backfill sizing and lag measurements read it.
 */
export function itemTime(message: unknown): number | undefined {
  const data = (message as { data?: Record<string, unknown> } | undefined)?.data;
  if (typeof data !== 'object' || data === null) return undefined;
  if (typeof data.created_at === 'string') {
    const t = Date.parse(data.created_at);
    if (Number.isFinite(t)) return t;
  }
  for (const value of Object.values(data)) {
    const eventAt = (value as { event_at?: unknown } | null)?.event_at;
    if (typeof eventAt === 'string') {
      const t = Date.parse(eventAt);
      if (Number.isFinite(t)) return t;
    }
  }
  return typeof data.id === 'string' ? snowflakeTime(data.id) : undefined;
}
