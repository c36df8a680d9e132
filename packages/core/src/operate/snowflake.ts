/** X's snowflake epoch (2010-11-04T01:42:54.657Z). */
const TWEPOCH = 1_288_834_974_657n;

/**
 * The creation time (epoch ms) encoded in an X snowflake id (posts, and
 * other ids minted since 2010), or `undefined` for anything that is not
 * one. Lets birdstream measure how old a post is without `created_at`.
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
