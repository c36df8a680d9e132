/** X's snowflake epoch (2010-11-04T01:42:54.657Z). */
export const SNOWFLAKE_EPOCH = 1288834974657;

/**
 * An X-style snowflake id: 41 bits of milliseconds since the X epoch, 10
 * worker bits and a 12-bit sequence. Ids of posts created after 2018 have 19
 * digits, like real ones, and sort by creation time.
 */
export function snowflake(ms: number, worker: number, sequence: number): string {
  const time = BigInt(Math.max(0, Math.floor(ms) - SNOWFLAKE_EPOCH));
  return ((time << 22n) | (BigInt(worker & 0x3ff) << 12n) | BigInt(sequence & 0xfff)).toString();
}

/** The creation time (epoch ms) encoded in a snowflake id. */
export function snowflakeTime(id: string): number {
  return Number(BigInt(id) >> 22n) + SNOWFLAKE_EPOCH;
}
