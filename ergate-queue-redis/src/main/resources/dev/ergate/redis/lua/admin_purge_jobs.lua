-- admin_purge_jobs: KEYS = store keys (the job key is unused), then one final status's index;
-- ARGV = after (sequence number, exclusive), most entries to examine, cutoff (ms), index prefix,
-- job prefix. Deletes the jobs of that index last written before the cutoff (a job without a
-- write time, written before Ergate recorded one, is kept).
-- Returns {deleted, more (0/1), last sequence number examined or ''}.
local s = store_keys(1, ARGV[4], ARGV[5])
local most = tonumber(ARGV[2])
local cutoff = tonumber(ARGV[3])
local rows = redis.call('ZRANGEBYSCORE', KEYS[5], '(' .. ARGV[1], '+inf', 'WITHSCORES', 'LIMIT', 0, most)
local deleted = 0
local last = ''
-- first every key the deletes touch is declared (the caller runs this again with the keys named
-- by ERGATE_UNDECLARED: the job keys, then their workflow indexes), then the deletes
for i = 1, #rows, 2 do
  job_key(s, rows[i])
end
check_declared()
local doomed = {}
for i = 1, #rows, 2 do
  local f = redis.call('HMGET', job_key(s, rows[i]), 'status', 'workflow', 'updated')
  if f[1] and FINAL[f[1]] and f[3] and tonumber(f[3]) < cutoff then
    need_indexes(s, f[1], f[2])
    doomed[#doomed + 1] = { rows[i], f[1], f[2] }
  end
  last = rows[i + 1]
end
check_declared()
for _, d in ipairs(doomed) do
  forget(s, job_key(s, d[1]), d[1], d[2], d[3])
  deleted = deleted + 1
end
return { deleted, #rows == 2 * most and 1 or 0, last }
