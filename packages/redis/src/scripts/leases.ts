/**
 * Lease scripts (after BullMQ's `extendLock`): a lease's value is
 * `<fencing token>:<owner>`, so renew and release act only while the same
 * claim still holds it.
 */

/**
 * `claimLease`: KEYS[1] lease, KEYS[2] fencing counter, KEYS[3] last owners
 * hash; ARGV[1] owner, ARGV[2] TTL ms, ARGV[3] partition. Returns
 * `{ token, previous owner or '' }`, or nil when the lease is held.
 */
export const CLAIM_LEASE_LUA = `
if redis.call('EXISTS', KEYS[1]) == 1 then
  return nil
end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], token .. ':' .. ARGV[1], 'NX', 'PX', ARGV[2])
local previous = redis.call('HGET', KEYS[3], ARGV[3])
redis.call('HSET', KEYS[3], ARGV[3], ARGV[1])
return { token, previous or '' }
`;

/** `renewLease`: KEYS[1] lease; ARGV[1] value, ARGV[2] TTL ms. 1 renewed, 0 lost. */
export const RENEW_LEASE_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`;

/** `releaseLease`: KEYS[1] lease; ARGV[1] value. 1 released, 0 not held. */
export const RELEASE_LEASE_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
`;

/**
 * \`heartbeat\`: KEYS[1] workers sorted set; ARGV[1] owner, ARGV[2] TTL ms,
 * ARGV[3] \`1\` to register, \`0\` to leave. Uses Redis's clock (the one
 * lease TTLs run on), drops expired workers, returns the live count.
 */
export const HEARTBEAT_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if ARGV[3] == '1' then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
else
  redis.call('ZREM', KEYS[1], ARGV[1])
end
return redis.call('ZCARD', KEYS[1])
`;
