-- request_cancel: KEYS = store keys; ARGV = member, now (ms, the caller's clock), index prefix,
-- job prefix. Returns 1 when the job is CANCELLING now (or already was), 0 when it is unknown or final.
local s = store_keys(1, ARGV[3], ARGV[4])
local member = ARGV[1]
local now = tonumber(ARGV[2])
purge_expired(s, now, PURGE_BATCH)
local old = read_job(s.job)
if not old.status or expired(old, now) or FINAL[old.status] then
  return 0
end
if old.status == 'CANCELLING' then
  return 1
end
redis.call('ZREM', status_index(s, old.status), member)
redis.call('ZADD', status_index(s, 'CANCELLING'), old.seq, member)
redis.call('HSET', s.job, 'status', 'CANCELLING', 'updated', now)
return 1
