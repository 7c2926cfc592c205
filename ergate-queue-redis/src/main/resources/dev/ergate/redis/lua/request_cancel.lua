-- request_cancel: KEYS = store keys; ARGV = member, now (ms, the caller's clock), index prefix,
-- job prefix, retention (ms, 0 for none); the status indexes are declared after the store keys. A SCHEDULED or PENDING job has no message on a queue a
-- worker would see the request on: it becomes CANCELLED at once (final: published, and kept for
-- the retention). Any other job that is not final becomes CANCELLING (a worker ends it).
-- Returns 1 when the job is CANCELLED or CANCELLING now (or already was CANCELLING), 0 when it is
-- unknown or final.
local s = store_keys(1, ARGV[3], ARGV[4])
local member = ARGV[1]
local now = tonumber(ARGV[2])
local old = read_job(s.job)
if not old.status or expired(old, now) or FINAL[old.status] then
  return 0
end
status_index(s, old.status)
status_index(s, 'CANCELLED')
status_index(s, 'CANCELLING')
check_declared()
if old.status == 'CANCELLING' then
  return 1
end
local status = 'CANCELLING'
if old.status == 'SCHEDULED' or old.status == 'PENDING' then
  status = 'CANCELLED'
end
redis.call('ZREM', status_index(s, old.status), member)
redis.call('ZADD', status_index(s, status), old.seq, member)
redis.call('HSET', s.job, 'status', status, 'updated', now)
if status == 'CANCELLED' then
  redis.call('PUBLISH', s.index_prefix .. 'final', member) -- wakes awaiting clients (RedisFinalStateNotifier)
  local retention = tonumber(ARGV[5]) or 0
  if retention > 0 then
    redis.call('HSET', s.job, 'expires', now + retention)
    redis.call('ZADD', s.expiring, now + retention, member)
  end
end
return 1
