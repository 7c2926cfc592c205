-- source_published (RedisJobSource): KEYS = store keys (job, jobseq, expiring, all), claims zset,
-- claims hash; ARGV = member, owner, queued json, status, workflow, now (ms), index prefix, job
-- prefix, and 'write' or 'drop'. If the owner holds the member's claim, drops it; with 'write',
-- also records the queued state, but only over the very state that was claimed (a worker may
-- already have taken the job and written a newer one). Returns 1 when it wrote, else 0.
local member, owner = ARGV[1], ARGV[2]
local s = store_keys(1, ARGV[7], ARGV[8])
if ARGV[9] == 'write' then
  -- every index the write may touch is declared before anything is written (lib.lua, need())
  local stored = read_job(s.job)
  need_indexes(s, stored.status, stored.workflow)
  need_indexes(s, ARGV[4], ARGV[5])
  check_declared()
end
local mine = redis.call('HGET', KEYS[6], member)
if not mine or string.sub(mine, 1, #owner + 1) ~= owner .. ' ' then
  return 0
end
redis.call('ZREM', KEYS[5], member)
redis.call('HDEL', KEYS[6], member)
if ARGV[9] ~= 'write' then
  return 0
end
local json = redis.call('HGET', s.job, 'json')
if not json or redis.sha1hex(json) ~= string.sub(mine, #owner + 2) then
  return 0
end
-- The claimed state is the stored one (checked above), so its steps completed carry over unchanged.
local old = read_job(s.job)
write_job(s, member, old, ARGV[3], ARGV[4], ARGV[5], 0, tonumber(ARGV[6]), tonumber(old.steps) or 0, 'final')
return 1
