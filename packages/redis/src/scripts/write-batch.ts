/**
 * Writes one batch atomically (`writeBatch`).
 *
 * KEYS[1] the stream, KEYS[2] the delivered-time hash, KEYS[3] the lease (or
 * any key when unfenced), KEYS[4..] one dedupe key per message.
 * ARGV[1] expected lease value (`''` = unfenced), ARGV[2] dedupe TTL ms,
 * ARGV[3] MAXLEN (`0` = no trimming), ARGV[4] partition (`''` = none),
 * ARGV[5] the newest item time of the batch (epoch ms: a post's `created_at`, else
when it was received), then per message: identity, payload.

The partition's entry in the delivered-time hash only moves forward (a replay of
older posts leaves it where it is): it is the takeover anchor, the creation time
of the newest post of the partition that is in the stream.
 *
 * Returns `-1` when the lease is not (or no longer) held with that value:
 * nothing is written. Otherwise a string of one character per message:
 * `1` appended, `0` duplicate (its dedupe key existed).
 */
export const WRITE_BATCH_LUA = `
if ARGV[1] ~= '' and redis.call('GET', KEYS[3]) ~= ARGV[1] then
  return -1
end
local ttl = ARGV[2]
local maxlen = tonumber(ARGV[3])
local partition = ARGV[4]
local outcome = {}
for i = 4, #KEYS do
  local a = 6 + (i - 4) * 2
  if redis.call('SET', KEYS[i], '1', 'NX', 'PX', ttl) then
    if maxlen > 0 then
      redis.call('XADD', KEYS[1], 'MAXLEN', '~', maxlen, '*', 'id', ARGV[a], 'p', partition, 'data', ARGV[a + 1])
    else
      redis.call('XADD', KEYS[1], '*', 'id', ARGV[a], 'p', partition, 'data', ARGV[a + 1])
    end
    outcome[#outcome + 1] = '1'
  else
    outcome[#outcome + 1] = '0'
  end
end
if partition ~= '' and #outcome > 0 then
  local current = tonumber(redis.call('HGET', KEYS[2], partition))
  if current == nil or tonumber(ARGV[5]) > current then
    redis.call('HSET', KEYS[2], partition, ARGV[5])
  end
end
return table.concat(outcome)
`;
