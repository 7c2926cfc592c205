-- admin_delete: KEYS = store keys; ARGV = member, index prefix, job prefix.
-- Deletes the job and its index entries. Returns 1, or 0 when it was not stored.
local s = store_keys(1, ARGV[2], ARGV[3])
local old = read_job(s.job)
if not old.status then
  return 0
end
need_indexes(s, old.status, old.workflow)
check_declared()
forget(s, s.job, ARGV[1], old.status, old.workflow)
return 1
