-- purge_jobs: KEYS = store keys (the job key is unused), then the keys it names (see below);
-- ARGV = now (ms, the caller's clock, by which retention is counted), most jobs to delete, index
-- prefix, job prefix.
-- Deletes up to `most` final jobs whose retention ran out, with their index entries. Their job
-- keys and workflow indexes are not known before: a run names the ones not declared
-- (ERGATE_UNDECLARED, before it deletes anything) and the caller runs it again with them.
-- Returns how many jobs it deleted.
local s = store_keys(1, ARGV[3], ARGV[4])
local now = tonumber(ARGV[1])
local due = redis.call('ZRANGEBYSCORE', s.expiring, '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
for _, member in ipairs(due) do
  job_key(s, member)
end
check_declared()
local doomed = {}
for _, member in ipairs(due) do
  local f = redis.call('HMGET', job_key(s, member), 'status', 'workflow', 'expires')
  if not f[1] or (f[3] and tonumber(f[3]) <= now) then
    need_indexes(s, f[1], f[2])
    doomed[#doomed + 1] = { member, f[1], f[2] }
  end
end
check_declared()
for _, d in ipairs(doomed) do
  forget(s, job_key(s, d[1]), d[1], d[2], d[3])
end
return #doomed
