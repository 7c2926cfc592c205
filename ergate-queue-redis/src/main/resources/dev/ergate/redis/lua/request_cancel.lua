-- request_cancel: KEYS = store keys; ARGV = member, now (ms), index prefix, job prefix.
-- Returns 1 when the job is CANCELLING now (or already was), 0 when it is unknown or final.
local s = store_keys(1, ARGV[3], ARGV[4])
local member = ARGV[1]
local now = tonumber(ARGV[2])
purge_expired(s, now, 16)
local old = redis.call('HMGET', s.job, 'status', 'workflow', 'seq', 'expires')
if not old[1] or (old[4] and tonumber(old[4]) <= now) or FINAL[old[1]] then
  return 0
end
if old[1] == 'CANCELLING' then
  return 1
end
for _, index in ipairs(index_keys(s, old[1], old[2])) do
  redis.call('ZREM', index, member)
end
for _, index in ipairs(index_keys(s, 'CANCELLING', old[2])) do
  redis.call('ZADD', index, old[3], member)
end
redis.call('HSET', s.job, 'status', 'CANCELLING')
return 1
