import type { Redis } from 'ioredis';
import { CLAIM_LEASE_LUA, HEARTBEAT_LUA, RELEASE_LEASE_LUA, RENEW_LEASE_LUA } from './leases.js';
import { WRITE_BATCH_LUA } from './write-batch.js';

/**
 * The package's Lua scripts on one ioredis connection, typed. Each is
 * registered once with `defineCommand`, so it is sent by SHA (`EVALSHA`) and
 * re-sent as `EVAL` after a `NOSCRIPT` (a restarted Redis).
 */
export interface BirdstreamCommands {
  /** See `WRITE_BATCH_LUA`: `-1` when fenced, else one `1`/`0` per message. */
  writeBatch(keys: string[], args: (string | number)[]): Promise<number | string>;
  claimLease(
    lease: string,
    fence: string,
    owners: string,
    owner: string,
    ttlMs: number,
    partition: number,
  ): Promise<[number, string] | null>;
  renewLease(lease: string, value: string, ttlMs: number): Promise<number>;
  releaseLease(lease: string, value: string): Promise<number>;
  heartbeat(workers: string, owner: string, ttlMs: number, alive: boolean): Promise<number>;
}

type Dynamic = Record<string, (...args: unknown[]) => Promise<unknown>>;

const SCRIPTS = {
  birdstreamWriteBatch: { lua: WRITE_BATCH_LUA },
  birdstreamClaimLease: { lua: CLAIM_LEASE_LUA, numberOfKeys: 3 },
  birdstreamRenewLease: { lua: RENEW_LEASE_LUA, numberOfKeys: 1 },
  birdstreamReleaseLease: { lua: RELEASE_LEASE_LUA, numberOfKeys: 1 },
  birdstreamHeartbeat: { lua: HEARTBEAT_LUA, numberOfKeys: 1 },
} as const;

/** Registers the scripts on `redis` (once per connection) and returns typed callers. */
export function commandsFor(redis: Redis): BirdstreamCommands {
  const dynamic = redis as unknown as Dynamic;
  for (const [name, definition] of Object.entries(SCRIPTS)) {
    if (typeof dynamic[name] !== 'function') redis.defineCommand(name, definition);
  }
  const call = (name: keyof typeof SCRIPTS, ...args: unknown[]) =>
    (dynamic[name] as (...a: unknown[]) => Promise<unknown>).call(redis, ...args);
  return {
    writeBatch: (keys, args) =>
      call('birdstreamWriteBatch', keys.length, ...keys, ...args) as Promise<number | string>,
    claimLease: (lease, fence, owners, owner, ttlMs, partition) =>
      call('birdstreamClaimLease', lease, fence, owners, owner, ttlMs, partition) as Promise<
        [number, string] | null
      >,
    renewLease: (lease, value, ttlMs) =>
      call('birdstreamRenewLease', lease, value, ttlMs) as Promise<number>,
    releaseLease: (lease, value) => call('birdstreamReleaseLease', lease, value) as Promise<number>,
    heartbeat: (workers, owner, ttlMs, alive) =>
      call('birdstreamHeartbeat', workers, owner, ttlMs, alive ? '1' : '0') as Promise<number>,
  };
}
